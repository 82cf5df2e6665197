package io.nexus.workflow;

import static io.nexus.workflow.WorkflowFixtures.developer;
import static io.nexus.workflow.WorkflowFixtures.newTenant;
import static io.nexus.workflow.WorkflowFixtures.single;
import static io.nexus.workflow.WorkflowFixtures.unique;
import static org.hamcrest.Matchers.containsString;

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
import org.junit.jupiter.api.Test;

import io.nexus.common.identity.IdentityTokens;
import io.nexus.common.testing.CallerSpecs;
import io.nexus.events.EventCodec;
import io.nexus.events.EventPayload;
import io.nexus.events.NexusEvent;
import io.nexus.events.tenant.Quotas;
import io.nexus.events.tenant.TenantCreated;
import io.nexus.events.tenant.TenantUpdated;
import io.quarkus.test.junit.QuarkusTest;

/** Admission reads the quotas tenant-service announces on nexus.tenants; a later change takes over. */
@QuarkusTest
class TenantQuotaProjectionTest {

    @Inject
    IdentityTokens tokens;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private final EventCodec codec = new EventCodec();

    @Test
    void quotasFromTenantEventsGovernAdmission() throws Exception {
        CallerSpecs callers = new CallerSpecs(tokens);
        String tenant = newTenant();
        String name = callers.as(developer(tenant)).body(single(unique("projected"), "1"))
                .post("/api/v1/workflows").then().statusCode(201).extract().path("name");
        Instant created = Instant.now();
        send(new TenantCreated(tenant, "t", "standard", "active", new Quotas(10, 1, 600, 10, 10), created));
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            callers.as(developer(tenant)).body("{}").post("/api/v1/workflows/" + name + "/executions");
            callers.as(developer(tenant)).body("{}").post("/api/v1/workflows/" + name + "/executions").then()
                    .statusCode(429).body("detail", containsString("executionsPerDay quota is 1"));
        });
        // An older event arriving late changes nothing; a newer one raises the quota.
        send(new TenantUpdated(tenant, "t", "standard", "active", new Quotas(10, 0, 600, 10, 10),
                created.minusSeconds(60)));
        send(new TenantUpdated(tenant, "t", "standard", "active", new Quotas(10, 1000, 600, 10, 10),
                created.plusSeconds(1)));
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                callers.as(developer(tenant)).body("{}").post("/api/v1/workflows/" + name + "/executions").then()
                        .statusCode(200));
    }

    private void send(EventPayload payload) throws Exception {
        NexusEvent<EventPayload> event = NexusEvent.of(UUID.randomUUID().toString(), "tenant-service",
                Instant.now(), payload);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", bootstrapServers,
                "key.serializer", StringSerializer.class.getName(),
                "value.serializer", ByteArraySerializer.class.getName()))) {
            producer.send(new ProducerRecord<>("test.nexus.tenants", event.subject(), codec.encode(event))).get();
        }
    }
}
