package io.nexus.workflow;

import static io.nexus.workflow.WorkflowFixtures.developer;
import static io.nexus.workflow.WorkflowFixtures.newTenant;
import static io.nexus.workflow.WorkflowFixtures.register;
import static io.nexus.workflow.WorkflowFixtures.single;
import static io.nexus.workflow.WorkflowFixtures.unique;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.nexus.common.identity.IdentityTokens;
import io.nexus.common.testing.CallerSpecs;
import io.nexus.events.EventCodec;
import io.nexus.events.EventPayload;
import io.nexus.events.NexusEvent;
import io.nexus.events.marketplace.ItemInstalled;
import io.nexus.events.tenant.Quotas;
import io.nexus.events.tenant.TenantCreated;
import io.nexus.events.workflow.WorkflowInstallFailed;
import io.nexus.events.workflow.WorkflowInstalled;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Marketplace installs (docs/api.md §4.6) as workflow-service sees them: {@code nexus.marketplace.installed} on Kafka
 * creates the workflow in the installer's tenant through validation and quota, and the answer comes back on
 * {@code nexus.workflows}; twice the same event, or the same item version again, yields one workflow.
 */
@QuarkusTest
class MarketplaceInstallTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    IdentityTokens tokens;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private final EventCodec codec = new EventCodec();
    private CallerSpecs callers;
    private KafkaConsumer<String, byte[]> answers;

    @BeforeEach
    void setUp() {
        callers = new CallerSpecs(tokens);
        answers = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrapServers,
                "key.deserializer", StringDeserializer.class.getName(),
                "value.deserializer", ByteArrayDeserializer.class.getName()));
        // The topic exists once a workflow has been announced on it; then read it from the start (install ids are
        // unique, so older runs' answers never match).
        register(callers, newTenant(), single(unique("topic"), "1"));
        List<TopicPartition> partitions = Awaitility.await().atMost(WAIT).until(() -> answers
                .partitionsFor("test.nexus.workflows").stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList(), found -> !found.isEmpty());
        answers.assign(partitions);
        answers.seekToBeginning(partitions);
    }

    @AfterEach
    void tearDown() {
        answers.close();
    }

    @Test
    void anInstallCreatesTheWorkflowOnceAndItRuns() throws Exception {
        String tenant = newTenant();
        String name = unique("installed");
        ItemInstalled install = install(tenant, name, definition("shop-original", "'installed ' + inputs.who"));
        NexusEvent<EventPayload> event = event(install);
        send(event);
        WorkflowInstalled done = answer(install.installId(), WorkflowInstalled.class);
        assertThat(done.workflow(), equalTo(name));

        callers.as(developer(tenant)).get("/api/v1/workflows/" + name).then().statusCode(200)
                .body("name", equalTo(name)).body("latestVersion", equalTo(1));
        callers.as(developer(tenant)).body("{\"inputs\": {\"who\": \"ada\"}}")
                .post("/api/v1/workflows/" + name + "/executions").then().statusCode(200)
                .body("outputs.only", equalTo("installed ada"));

        // The same event again (a redelivery) changes nothing; the same item version installed again completes
        // with the same workflow.
        send(event);
        ItemInstalled again = new ItemInstalled(install.itemId(), UUID.randomUUID().toString(), tenant,
                install.version(), name, install.definition(), Instant.now());
        send(event(again));
        assertThat(answer(again.installId(), WorkflowInstalled.class).workflow(), equalTo(name));
        callers.as(developer(tenant)).get("/api/v1/workflows/" + name).then().statusCode(200)
                .body("latestVersion", equalTo(1));
        callers.as(developer(tenant)).get("/api/v1/workflows").then().statusCode(200)
                .body("items.size()", equalTo(1));
    }

    @Test
    void aTakenNameAnInvalidDefinitionAndAFullQuotaFailTheInstallWithAReason() throws Exception {
        String tenant = newTenant();
        String taken = register(callers, tenant, single(unique("taken"), "1"));
        ItemInstalled collision = install(tenant, taken, definition("x", "2"));
        send(event(collision));
        assertThat(answer(collision.installId(), WorkflowInstallFailed.class).reason(),
                containsString("a workflow named '" + taken + "' exists"));

        ItemInstalled invalid = install(tenant, unique("broken"), JSON.readTree(
                "{\"name\": \"x\", \"nodes\": [{\"id\": \"a\", \"type\": \"teleport\"}]}"));
        send(event(invalid));
        assertThat(answer(invalid.installId(), WorkflowInstallFailed.class).reason(), containsString("not valid"));

        String full = newTenant();
        send(event(new TenantCreated(full, "full", "standard", "active", new Quotas(0, 10, 600, 10, 10),
                Instant.now())));
        Awaitility.await().atMost(WAIT).untilAsserted(() -> callers.as(developer(full))
                .body(single(unique("probe"), "1")).post("/api/v1/workflows").then().statusCode(429));
        ItemInstalled overQuota = install(full, unique("over"), definition("x", "3"));
        send(event(overQuota));
        assertThat(answer(overQuota.installId(), WorkflowInstallFailed.class).reason(),
                containsString("workflows quota is 0"));
        callers.as(developer(full)).get("/api/v1/workflows/" + overQuota.workflow()).then().statusCode(404);
    }

    private static ItemInstalled install(String tenant, String name, JsonNode definition) {
        return new ItemInstalled(UUID.randomUUID().toString(), UUID.randomUUID().toString(), tenant, "1.0.0", name,
                definition, Instant.now());
    }

    private static JsonNode definition(String name, String expression) throws Exception {
        return JSON.readTree(single(name, expression));
    }

    private static NexusEvent<EventPayload> event(EventPayload payload) {
        return NexusEvent.of(UUID.randomUUID().toString(), "marketplace-service", Instant.now(), payload);
    }

    private void send(NexusEvent<EventPayload> event) throws Exception {
        String topic = event.data() instanceof TenantCreated ? "test.nexus.tenants" : "test.nexus.marketplace";
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", bootstrapServers,
                "key.serializer", StringSerializer.class.getName(),
                "value.serializer", ByteArraySerializer.class.getName()))) {
            producer.send(new ProducerRecord<>(topic, event.subject(), codec.encode(event))).get();
        }
    }

    /** The answer on nexus.workflows for {@code installId}, which must be of the expected kind. */
    private <T> T answer(String installId, Class<T> kind) {
        Object found = Awaitility.await().atMost(WAIT).until(() -> {
            for (ConsumerRecord<String, byte[]> record : answers.poll(Duration.ofMillis(200))) {
                Object data = codec.decode(record.value()).data();
                if (data instanceof WorkflowInstalled installed && installed.installId().equals(installId)
                        || data instanceof WorkflowInstallFailed failed && failed.installId().equals(installId)) {
                    return data;
                }
            }
            return null;
        }, data -> data != null);
        assertThat("the answer to install " + installId + ": " + found, kind.isInstance(found), equalTo(true));
        return kind.cast(found);
    }
}
