package io.nexus.tenant;

import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.nexus.common.identity.IdentityTokens;
import io.nexus.common.identity.Role;
import io.nexus.common.metering.ApiCallMetering;
import io.nexus.common.testing.CallerSpecs;
import io.nexus.common.testing.TestIdentities;
import io.nexus.events.EventCodec;
import io.nexus.events.EventPayload;
import io.nexus.events.NexusEvent;
import io.nexus.events.execution.ExecutionCompleted;
import io.nexus.events.execution.ExecutionStarted;
import io.nexus.events.session.SessionCreated;
import io.nexus.events.workflow.WorkflowDeleted;
import io.nexus.events.workflow.WorkflowRegistered;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/** Usage counters from the services' events (each applied once) and the gateways' metering, against the quotas. */
@QuarkusTest
class UsageApiTest {

    @Inject
    IdentityTokens tokens;
    @Inject
    ReactiveRedisDataSource redis;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private CallerSpecs callers;
    private final EventCodec codec = new EventCodec();

    @BeforeEach
    void setUp() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        callers = new CallerSpecs(tokens);
    }

    @Test
    void countsWhatTheServicesAnnounceOnceAndTheGatewaysMeteredCalls() throws Exception {
        String tenant = callers.as(TestIdentities.platformAdmin())
                .body("{\"name\": \"" + TenantApiTest.unique("usage") + "\", \"quotas\": {\"workflows\": 10}}")
                .post("/api/v1/tenants").then().statusCode(201).extract().path("id");
        Instant now = Instant.now();
        NexusEvent<EventPayload> registered = event(new WorkflowRegistered(tenant, "a", 1, now));
        send("test.nexus.workflows", registered);
        send("test.nexus.workflows", registered); // redelivered: must count once
        send("test.nexus.workflows", event(new WorkflowRegistered(tenant, "b", 1, now)));
        send("test.nexus.workflows", event(new WorkflowDeleted(tenant, "b", now)));
        send("test.nexus.executions", event(new ExecutionStarted("e1", tenant, "a", 1, "api", null, null, now)));
        send("test.nexus.executions", event(new ExecutionStarted("e2", tenant, "a", 1, "cli", null, null, now)));
        send("test.nexus.executions", event(new ExecutionCompleted("e1", tenant, "a", 1, "api", 5, now)));
        send("test.nexus.sessions", event(new SessionCreated("s1", tenant, "u1", "mcp", now, now.plusSeconds(60))));

        // The gateways' count of this minute's calls, written again on each try: the events may take long enough to
        // arrive (a cold Kafka consumer group) that the minute rolls over, and usage reads the current minute only.
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            redis.value(Long.class).set(ApiCallMetering.key("test:nexus:", tenant, System.currentTimeMillis() / 60_000),
                    7L).await().atMost(Duration.ofSeconds(2));
            callers.as(TestIdentities.of(Role.ADMIN, tenant)).get("/api/v1/tenants/" + tenant + "/usage").then()
                    .statusCode(200)
                    .body("tenantId", equalTo(tenant))
                    .body("workflows.used", equalTo(1))
                    .body("workflows.limit", equalTo(10))
                    .body("executionsPerDay.used", equalTo(2))
                    .body("concurrentExecutions.used", equalTo(1))
                    .body("concurrentSessions.used", equalTo(1))
                    .body("apiCallsPerMinute.used", equalTo(7))
                    .body("apiCallsPerMinute.limit", equalTo(6000));
        });

        callers.as(TestIdentities.of(Role.DEVELOPER, tenant)).get("/api/v1/tenants/" + tenant + "/usage").then()
                .statusCode(403);
        callers.as(TestIdentities.of(Role.ADMIN, UUID.randomUUID().toString()))
                .get("/api/v1/tenants/" + tenant + "/usage").then().statusCode(404);
    }

    private static NexusEvent<EventPayload> event(EventPayload payload) {
        return NexusEvent.of(UUID.randomUUID().toString(), "test", Instant.now(), payload);
    }

    private void send(String topic, NexusEvent<?> event) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", bootstrapServers,
                "key.serializer", StringSerializer.class.getName(),
                "value.serializer", ByteArraySerializer.class.getName()))) {
            producer.send(new ProducerRecord<>(topic, event.subject(), codec.encode(event))).get();
        }
    }
}
