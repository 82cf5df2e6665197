package io.nexus.marketplace;

import static io.nexus.marketplace.MarketplaceCalls.ITEMS;
import static io.nexus.marketplace.MarketplaceCalls.item;
import static io.nexus.marketplace.MarketplaceCalls.tenant;
import static io.nexus.marketplace.MarketplaceCalls.word;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.nexus.common.identity.IdentityTokens;
import io.nexus.common.testing.PrometheusScrape;
import io.nexus.events.EventCodec;
import io.nexus.events.EventPayload;
import io.nexus.events.NexusEvent;
import io.nexus.events.marketplace.ItemInstalled;
import io.nexus.events.workflow.WorkflowInstallFailed;
import io.nexus.events.workflow.WorkflowInstalled;
import io.nexus.events.workflow.WorkflowRegistered;
import io.nexus.marketplace.service.InstallTimeouts;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Installs (docs/api.md §4.6) on real PostgreSQL and Kafka: the install request stores a pending install and
 * {@code nexus.marketplace.installed} with the version's definition; workflow-service is played by producing its
 * answers to {@code test.nexus.workflows}, which this service consumes.
 */
@QuarkusTest
@QuarkusTestResource(FakeWorkflowService.class)
class InstallTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String INSTALLS = "/api/v1/marketplace/installs/";
    private static final String ANSWERS = "test.nexus.workflows";
    private static final String CONSUMER = "marketplace-install-answers";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    IdentityTokens tokens;
    @Inject
    Pool pool;
    @Inject
    InstallTimeouts timeouts;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    FakeWorkflowService workflows;
    private MarketplaceCalls calls;
    private final EventCodec codec = new EventCodec();
    private static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void logFailures() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @AfterAll
    static void closeProducer() {
        if (producer != null) {
            producer.close();
        }
    }

    @BeforeEach
    void setUp() {
        calls = new MarketplaceCalls(tokens, workflows);
        if (producer == null) {
            producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrapServers,
                    "key.serializer", StringSerializer.class.getName(),
                    "value.serializer", ByteArraySerializer.class.getName()));
        }
    }

    @Test
    void anInstallIsPendingUntilWorkflowServiceAnswersThenCountsOnceAndVerifiesReviews() throws Exception {
        String publisher = tenant();
        String workflow = "wf-" + word();
        String item = calls.publish(publisher, item(workflow, "Installed " + word(), "to be installed", null))
                .getString("id");
        String installer = tenant();
        calls.review(installer, item, 4, "before installing").statusCode(201).body("verified", equalTo(false));
        double installsBefore = installCount();

        JsonPath accepted = calls.developer(installer).body(Map.of()).post(install(item)).then().statusCode(202)
                .body("workflow", equalTo(workflow)).body("status", equalTo("pending"))
                .extract().jsonPath();
        String installId = accepted.getString("installId");
        calls.developer(installer).body(Map.of()).post(install(item)).then().statusCode(202)
                .header("Location", INSTALLS + installId);
        calls.viewer(installer).get(INSTALLS + installId).then().statusCode(200)
                .body("installId", equalTo(installId)).body("itemId", equalTo(item))
                .body("version", equalTo("1.0.0")).body("workflow", equalTo(workflow))
                .body("status", equalTo("pending")).body("reason", nullValue())
                .body("createdAt", notNullValue()).body("updatedAt", notNullValue());
        assertEquals(installsBefore + 1, installCount(), "a repeated request is not another install");

        // The event carries the version's stored definition (header values stripped), and reaches Kafka.
        ItemInstalled event = installedEvent(installId);
        assertEquals(item, event.itemId());
        assertEquals(installer, event.tenantId());
        assertEquals("1.0.0", event.version());
        assertEquals(workflow, event.workflow());
        JsonNode stored = JSON.readTree(calls.viewer(installer).get(ITEMS + "/" + item + "/versions/1.0.0").then()
                .statusCode(200).extract().body().asString()).get("definition");
        assertEquals(stored, JSON.readTree(JSON.writeValueAsString(event.definition())));
        assertEquals("''", event.definition().at("/nodes/1/config/headers/Authorization").asText());
        assertEquals(1L, count("SELECT count(*) FROM outbox_event WHERE event_type = 'nexus.marketplace.installed' "
                + "AND aggregate_id = $1", item));
        Awaitility.await().atMost(WAIT).until(() -> count("SELECT count(*) FROM outbox_event WHERE event_type = "
                + "'nexus.marketplace.installed' AND aggregate_id = $1 AND sent_at IS NOT NULL", item) == 1);

        double trendingBefore = trending(item);
        NexusEvent<EventPayload> done = answer(new WorkflowInstalled(installer, workflow, installId, item, "1.0.0",
                Instant.now()));
        awaitStatus(installer, installId, "completed");
        calls.viewer(tenant()).get(ITEMS + "/" + item).then().body("stats.installs", equalTo(1));
        // An install weighs 1 in trending (the review before it 4 / 5), decayed alike.
        assertEquals(trendingBefore + 1, trending(item), 0.01);
        calls.viewer(tenant()).get(ITEMS + "/" + item + "/reviews").then()
                .body("items[0].reviewer", equalTo(installer)).body("items[0].verified", equalTo(true));

        // The same answer delivered again, and a second answer to the same install (workflow-service answers an
        // install delivered again too), count nothing more. Same key, same partition: once the second is consumed,
        // so is the first.
        send(done);
        NexusEvent<EventPayload> again = answer(new WorkflowInstalled(installer, workflow, installId, item, "1.0.0",
                Instant.now()));
        awaitConsumed(again);
        calls.viewer(tenant()).get(ITEMS + "/" + item).then().body("stats.installs", equalTo(1));
        assertEquals(1L, count("SELECT installs FROM item_stats WHERE item_id::text = $1", item));

        // A completed install is answered again too; a tenant with a completed install writes verified reviews.
        calls.developer(installer).body(Map.of("version", "1.0.0", "as", workflow)).post(install(item)).then()
                .statusCode(202).body("installId", equalTo(installId)).body("status", equalTo("completed"));
        String second = tenant();
        String secondInstall = calls.developer(second).body(Map.of("as", "copy-" + word())).post(install(item))
                .then().statusCode(202).extract().path("installId");
        calls.review(second, item, 5, "before completion").statusCode(201).body("verified", equalTo(false));
        calls.developer(second).body(Map.of("rating", 5)).put(ITEMS + "/" + item + "/reviews").then()
                .body("verified", equalTo(false));
        answer(new WorkflowInstalled(second, installedEvent(secondInstall).workflow(), secondInstall, item, "1.0.0",
                Instant.now()));
        awaitStatus(second, secondInstall, "completed");
        calls.viewer(second).get(ITEMS + "/" + item).then().body("stats.installs", equalTo(2));
        calls.viewer(second).get(ITEMS + "/" + item + "/reviews").then()
                .body("items.find { it.reviewer == '" + second + "' }.verified", equalTo(true));
        String third = tenant();
        String thirdInstall = calls.developer(third).body(Map.of()).post(install(item)).then().statusCode(202)
                .extract().path("installId");
        answer(new WorkflowInstalled(third, workflow, thirdInstall, item, "1.0.0", Instant.now()));
        awaitStatus(third, thirdInstall, "completed");
        calls.review(third, item, 3, "after installing").statusCode(201).body("verified", equalTo(true));
        calls.viewer(third).get(ITEMS + "/" + item).then().body("stats.installs", equalTo(3));
    }

    @Test
    void concurrentRequestsForOneInstallMakeOneInstallAndOneEvent() {
        String item = publish(tenant());
        String installer = tenant();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<String>> requests = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                requests.add(CompletableFuture.supplyAsync(() -> calls.developer(installer).body(Map.of())
                        .post(install(item)).then().statusCode(202).extract().<String> path("installId"), clients));
            }
            Set<String> ids = new HashSet<>();
            requests.forEach(request -> ids.add(request.join()));
            assertEquals(1, ids.size(), "one install for " + ids);
        } finally {
            clients.shutdownNow();
        }
        assertEquals(1L, count("SELECT count(*) FROM installs WHERE item_id::text = $1", item));
        assertEquals(1L, count("SELECT count(*) FROM outbox_event WHERE event_type = 'nexus.marketplace.installed' "
                + "AND aggregate_id = $1", item));
    }

    @Test
    void aFailedInstallKeepsItsReasonCountsNothingAndMayBeTriedAgain() throws Exception {
        String item = publish(tenant());
        String installer = tenant();
        String name = "mine-" + word();
        String installId = calls.developer(installer).body(Map.of("as", name)).post(install(item)).then()
                .statusCode(202).body("workflow", equalTo(name)).extract().path("installId");
        assertEquals(name, installedEvent(installId).workflow());
        String reason = "a workflow named '" + name + "' exists in this tenant";
        answer(new WorkflowInstallFailed(installer, name, installId, item, "1.0.0", reason, Instant.now()));
        awaitStatus(installer, installId, "failed");
        calls.viewer(installer).get(INSTALLS + installId).then().body("reason", equalTo(reason));
        calls.viewer(installer).get(ITEMS + "/" + item).then().body("stats.installs", equalTo(0));

        // A late success for a failed install changes nothing.
        awaitConsumed(answer(new WorkflowInstalled(installer, name, installId, item, "1.0.0", Instant.now())));
        calls.viewer(installer).get(INSTALLS + installId).then().body("status", equalTo("failed"));
        calls.viewer(installer).get(ITEMS + "/" + item).then().body("stats.installs", equalTo(0));

        // Asking again after a failure is a new install.
        String retry = calls.developer(installer).body(Map.of("as", name)).post(install(item)).then()
                .statusCode(202).body("status", equalTo("pending")).extract().path("installId");
        assertNotEquals(installId, retry);
    }

    @Test
    void anInstallThatIsNeverAnsweredFailsAfterTheTimeoutAndALateAnswerChangesNothing() throws Exception {
        String item = publish(tenant());
        String installer = tenant();
        String overdue = calls.developer(installer).body(Map.of("as", "late-" + word())).post(install(item)).then()
                .statusCode(202).extract().path("installId");
        String recent = calls.developer(installer).body(Map.of("as", "recent-" + word())).post(install(item)).then()
                .statusCode(202).extract().path("installId");
        // The first was asked for 11 minutes ago (the timeout is 10 minutes), the second just now.
        count("WITH aged AS (UPDATE installs SET created_at = created_at - interval '11 minutes' WHERE id = $1 "
                + "RETURNING 1) SELECT count(*) FROM aged", UUID.fromString(overdue));

        List<String> failed = timeouts.failOverdue().await().atMost(WAIT).stream()
                .map(install -> install.id().toString()).toList();

        assertTrue(failed.contains(overdue), "the overdue install is failed");
        assertFalse(failed.contains(recent), "a recent install is left pending");
        calls.viewer(installer).get(INSTALLS + overdue).then().body("status", equalTo("failed"))
                .body("reason", containsString("did not answer within 10 minutes; ask again"));
        calls.viewer(installer).get(INSTALLS + recent).then().body("status", equalTo("pending"));
        // A late answer finds the install settled: it stays failed and counts nothing.
        awaitConsumed(answer(new WorkflowInstalled(installer, "x", overdue, item, "1.0.0", Instant.now())));
        calls.viewer(installer).get(INSTALLS + overdue).then().body("status", equalTo("failed"));
        calls.viewer(installer).get(ITEMS + "/" + item).then().body("stats.installs", equalTo(0));
    }

    @Test
    void answersAboutOtherInstallsAndOtherEventsAreIgnored() throws Exception {
        String item = publish(tenant());
        String installer = tenant();
        String installId = calls.developer(installer).body(Map.of()).post(install(item)).then().statusCode(202)
                .extract().path("installId");
        // Another tenant's answer for this install id, an unknown install, an answer without ids, another event.
        awaitConsumed(answer(new WorkflowInstalled(tenant(), "x", installId, item, "1.0.0", Instant.now())));
        awaitConsumed(answer(new WorkflowInstalled(installer, "x", UUID.randomUUID().toString(), item, "1.0.0",
                Instant.now())));
        awaitConsumed(answer(new WorkflowInstallFailed(installer, "x", "not-an-id", item, "1.0.0", "no",
                Instant.now())));
        awaitConsumed(answer(new WorkflowRegistered(installer, "x", 1, Instant.now())));
        calls.viewer(installer).get(INSTALLS + installId).then().body("status", equalTo("pending"));
        calls.viewer(installer).get(ITEMS + "/" + item).then().body("stats.installs", equalTo(0));
    }

    @Test
    void versionsDefaultToTheLatestNotYankedAndYankedOrUnknownOnesAre422() {
        String publisher = tenant();
        String workflow = "wf-" + word();
        String item = calls.publish(publisher, item(workflow, "Versioned " + word(), "versions", null))
                .getString("id");
        calls.workflow(publisher, workflow, "v2");
        String versions = ITEMS + "/" + item + "/versions";
        calls.developer(publisher).body(Map.of("version", "1.1.0")).post(versions).then().statusCode(201);
        String installer = tenant();

        String latest = calls.developer(installer).body(Map.of("as", "latest-" + word())).post(install(item)).then()
                .statusCode(202).extract().path("installId");
        calls.viewer(installer).get(INSTALLS + latest).then().body("version", equalTo("1.1.0"));

        calls.developer(publisher).post(versions + "/1.1.0/yank").then().statusCode(200);
        calls.developer(installer).body(Map.of("version", "1.1.0")).post(install(item)).then().statusCode(422)
                .body("errors.field", contains("version"));
        calls.developer(installer).body(Map.of("version", "7.0.0")).post(install(item)).then().statusCode(422)
                .body("errors.field", contains("version"));
        String older = calls.developer(installer).body(Map.of("as", "older-" + word())).post(install(item)).then()
                .statusCode(202).extract().path("installId");
        calls.viewer(installer).get(INSTALLS + older).then().body("version", equalTo("1.0.0"));

        calls.developer(publisher).post(versions + "/1.0.0/yank").then().statusCode(200);
        calls.developer(installer).body(Map.of("as", "none-" + word())).post(install(item)).then().statusCode(422)
                .body("errors.field", contains("version"));
    }

    @Test
    void whoMayInstallAndWhoSeesAnInstall() {
        String item = publish(tenant());
        String installer = tenant();
        calls.viewer(installer).body(Map.of()).post(install(item)).then().statusCode(403);
        calls.developer(installer).body(Map.of("as", "Not A Name")).post(install(item)).then().statusCode(400)
                .body("errors.field", contains("as"));
        calls.developer(installer).body(Map.of("extra", true)).post(install(item)).then().statusCode(400)
                .body("errors.field", contains("extra"));
        calls.developer(installer).body("[]").post(install(item)).then().statusCode(400);
        calls.developer(installer).body(Map.of()).post(install(UUID.randomUUID().toString())).then()
                .statusCode(404);
        calls.developer(installer).body(Map.of()).post(install("not-an-item")).then().statusCode(404);
        // No body at all installs the latest version under the item's workflow name.
        String installId = calls.developer(installer).contentType("application/json").post(install(item)).then()
                .statusCode(202).header("Location", org.hamcrest.Matchers.startsWith(INSTALLS))
                .extract().path("installId");
        calls.viewer(installer).get(INSTALLS + installId).then().statusCode(200);
        calls.developer(tenant()).get(INSTALLS + installId).then().statusCode(404)
                .contentType("application/problem+json");
        calls.viewer(installer).get(INSTALLS + UUID.randomUUID()).then().statusCode(404);
        calls.viewer(installer).get(INSTALLS + "nope").then().statusCode(404);
    }

    private String publish(String publisher) {
        return calls.publish(publisher, item("wf-" + word(), "Installable " + word(), "to install", null))
                .getString("id");
    }

    private static String install(String item) {
        return ITEMS + "/" + item + "/install";
    }

    /** The {@code nexus.marketplace.installed} event of the install, as the outbox holds it. */
    private ItemInstalled installedEvent(String installId) {
        for (Row row : pool.preparedQuery("SELECT payload FROM outbox_event WHERE event_type = "
                + "'nexus.marketplace.installed'").execute().await().indefinitely()) {
            NexusEvent<?> event = codec.decode(row.getString(0).getBytes(StandardCharsets.UTF_8));
            if (event.data() instanceof ItemInstalled installed && installed.installId().equals(installId)) {
                return installed;
            }
        }
        throw new AssertionError("no nexus.marketplace.installed event for install " + installId);
    }

    /** Produces workflow-service's answer (or any event of its topic) and returns it. */
    private NexusEvent<EventPayload> answer(EventPayload payload) throws Exception {
        NexusEvent<EventPayload> event = NexusEvent.of(UUID.randomUUID().toString(), "workflow-service",
                Instant.now(), payload);
        send(event);
        return event;
    }

    private void send(NexusEvent<EventPayload> event) throws Exception {
        producer.send(new ProducerRecord<>(ANSWERS, event.subject(), codec.encode(event))).get();
    }

    private void awaitStatus(String tenant, String installId, String status) {
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> status.equals(
                calls.viewer(tenant).get(INSTALLS + installId).then().statusCode(200).extract().path("status")));
    }

    private void awaitConsumed(NexusEvent<EventPayload> event) {
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> count(
                "SELECT count(*) FROM processed_event WHERE consumer = $1 AND event_id = $2", CONSUMER,
                event.id()) == 1);
    }

    private long count(String sql, Object... params) {
        return pool.preparedQuery(sql).execute(Tuple.from(params)).await().indefinitely().iterator().next()
                .getLong(0);
    }

    private double trending(String item) {
        return calls.viewer(tenant()).get(ITEMS + "/" + item).then().statusCode(200).extract().jsonPath()
                .getDouble("stats.trending");
    }

    private static double installCount() {
        return new PrometheusScrape(RestAssured.get("/q/metrics").asString())
                .sum("nexus_marketplace_operations_total", Map.of("operation", "install")).orElse(0);
    }
}
