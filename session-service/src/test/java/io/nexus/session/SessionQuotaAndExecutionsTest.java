package io.nexus.session;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.nexus.common.http.Channel;
import io.nexus.common.identity.IdentityTokens;
import io.nexus.common.identity.Role;
import io.nexus.common.testing.PrometheusScrape;
import io.nexus.events.EventCodec;
import io.nexus.events.EventPayload;
import io.nexus.events.NexusEvent;
import io.nexus.events.execution.ExecutionCompleted;
import io.nexus.events.execution.ExecutionStarted;
import io.nexus.events.tenant.Quotas;
import io.nexus.events.tenant.TenantCreated;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** The concurrentSessions quota from nexus.tenants, executions listed from nexus.executions, the active gauge. */
@QuarkusTest
@QuarkusTestResource(TestRedisServer.class)
class SessionQuotaAndExecutionsTest {

    private final EventCodec codec = new EventCodec();

    @Inject
    IdentityTokens tokens;

    @Inject
    Pool pool;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @BeforeAll
    static void logFailures() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Test
    void theConcurrentSessionsQuotaRefusesWithRetryAfterUntilASessionEnds() throws Exception {
        SessionCalls calls = new SessionCalls(tokens);
        String tenant = UUID.randomUUID().toString();
        send("test.nexus.tenants", new TenantCreated(tenant, "quota-" + tenant, "free", "active",
                new Quotas(10, 100, 600, 2, 5), Instant.now()));
        Awaitility.await("the quota projected").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> pool.preparedQuery("SELECT count(*) FROM tenant_quotas WHERE tenant_id = $1")
                        .execute(Tuple.of(UUID.fromString(tenant))).await().atMost(Duration.ofSeconds(5))
                        .iterator().next().getLong(0) == 1);

        String first = calls.create(tenant, Map.of("ttlSeconds", 600));
        calls.create(tenant, Map.of("ttlSeconds", 900));
        int retryAfter = Integer.parseInt(calls.developer(tenant).body(Map.of()).post("/api/v1/sessions").then()
                .statusCode(429)
                .body("type", equalTo("urn:nexus:problem:too-many-requests"))
                .extract().header("Retry-After"));
        assertTrue(retryAfter > 590 && retryAfter <= 600, "Retry-After " + retryAfter);
        // Another tenant is not held back by this one's quota.
        calls.create(UUID.randomUUID().toString(), Map.of());

        calls.developer(tenant).delete("/api/v1/sessions/" + first).then().statusCode(204);
        calls.create(tenant, Map.of());
    }

    @Test
    void theExecutionsStartedInASessionAreListedWithTheirOutcome() throws Exception {
        SessionCalls calls = new SessionCalls(tokens);
        String tenant = UUID.randomUUID().toString();
        String session = calls.create(tenant, Map.of());
        String other = calls.create(tenant, Map.of());
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();
        Instant now = Instant.now();
        send("test.nexus.executions", new ExecutionStarted(first, tenant, "greet", 1, "cli", session, null,
                now.minusSeconds(2)));
        send("test.nexus.executions", new ExecutionStarted(second, tenant, "order", 3, "mcp", session, null,
                now.minusSeconds(1)));
        send("test.nexus.executions", new ExecutionStarted(UUID.randomUUID().toString(), tenant, "greet", 1, "api",
                other, null, now));
        // An execution claiming a session of another tenant is not listed anywhere.
        send("test.nexus.executions", new ExecutionStarted(UUID.randomUUID().toString(),
                UUID.randomUUID().toString(), "spy", 1, "api", session, null, now));
        send("test.nexus.executions", new ExecutionCompleted(first, tenant, "greet", 1, "cli", 12, now));

        Awaitility.await("both executions listed, the first completed").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> calls.developer(tenant).get("/api/v1/sessions/" + session + "/executions").then()
                        .statusCode(200)
                        .body("items.id", contains(second, first))
                        .body("items[1].status", equalTo("completed")));
        calls.developer(tenant).queryParam("limit", 1).get("/api/v1/sessions/" + session + "/executions").then()
                .body("items.id", contains(second))
                .body("items[0].workflow", equalTo("order"))
                .body("items[0].channel", equalTo("mcp"))
                .body("items[0].status", equalTo("running"))
                .body("items[0].finishedAt", nullValue());
        calls.developer(UUID.randomUUID().toString()).get("/api/v1/sessions/" + session + "/executions").then()
                .statusCode(404);
    }

    @Test
    void activeSessionsAreCountedPerChannelTheyUsed() {
        SessionCalls calls = new SessionCalls(tokens);
        String tenant = UUID.randomUUID().toString();
        double before = scrape().sum("nexus_active_sessions", Map.of("channel", "mcp")).orElse(0);
        String id = calls.create(tenant, Map.of());
        calls.as(tenant, Role.VIEWER, Channel.MCP).get("/api/v1/sessions/" + id).then().statusCode(200);
        Awaitility.await("nexus_active_sessions{channel=mcp} to count the session").atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> scrape().sum("nexus_active_sessions", Map.of("channel", "mcp")).orElse(0) >= before + 1);
        calls.developer(tenant).delete("/api/v1/sessions/" + id).then().statusCode(204);
        Awaitility.await("nexus_active_sessions{channel=mcp} to drop it").atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> scrape().sum("nexus_active_sessions", Map.of("channel", "mcp")).orElse(0) <= before);
    }

    private static PrometheusScrape scrape() {
        return new PrometheusScrape(RestAssured.get("/q/metrics").then().statusCode(200).extract().asString());
    }

    private void send(String topic, EventPayload payload) throws Exception {
        NexusEvent<EventPayload> event = NexusEvent.of(UUID.randomUUID().toString(), "test", Instant.now(), payload);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", bootstrapServers,
                "key.serializer", StringSerializer.class.getName(),
                "value.serializer", ByteArraySerializer.class.getName()))) {
            producer.send(new ProducerRecord<>(topic, event.subject(), codec.encode(event))).get();
        }
    }
}
