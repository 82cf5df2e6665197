package io.nexus.common.eventing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.nexus.common.metrics.ContractMetrics;
import io.nexus.common.outbox.OutboxConfig;
import io.nexus.common.outbox.OutboxRelay;
import io.nexus.common.testing.PrometheusScrape;
import io.nexus.common.testing.TestKafkaBroker;
import io.nexus.common.testing.TopicWatcher;
import io.nexus.events.EventCodec;
import io.nexus.events.NexusEvent;
import io.nexus.events.workflow.WorkflowUpdated;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.RestAssured;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The eventing guarantees of docs/api.md §6 on real PostgreSQL and a real Kafka broker owned by this test (so that it can
 * be stopped): the outbox publishes exactly what committed, at least once and in order per aggregate; consumers apply
 * each event once.
 */
@QuarkusTest
@QuarkusTestResource(TestKafkaBroker.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EventingTest {

    private static final String TOPIC = "test.nexus.workflows";
    private static final Duration DELIVERY = Duration.ofSeconds(20);

    private static TopicWatcher topic;
    private final EventCodec codec = new EventCodec();

    @Inject
    LedgerService ledger;
    @Inject
    OutboxRelay relay;
    @Inject
    io.nexus.common.outbox.OutboxWriter outbox;
    @Inject
    OutboxConfig outboxConfig;
    @Inject
    ContractMetrics metrics;
    @Inject
    Pool pool;
    @Inject
    Vertx vertx;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;
    @ConfigProperty(name = "quarkus.datasource.reactive.url")
    String databaseUrl;
    @ConfigProperty(name = "quarkus.datasource.username")
    String databaseUser;
    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> databasePassword;

    @BeforeAll
    static void watchTopic() {
        topic = new TopicWatcher(TestKafkaBroker.bootstrapServers(), TOPIC);
    }

    @AfterAll
    static void stopWatching() {
        topic.close();
    }

    @Test
    @Order(1)
    void aCommittedChangeIsPublishedRightAfterCommitWithKeyAndHeaders() throws Throwable {
        String account = account();
        String first = setBalance(account, 9);
        Awaitility.await().atMost(DELIVERY).until(() -> !topic.withEventId(first).isEmpty());

        // Measured once the producer knows the topic: the relay polls every 100 ms, so an event leaves well within 1 s.
        long started = System.nanoTime();
        String eventId = setBalance(account, 10);
        Awaitility.await().atMost(DELIVERY).pollInterval(Duration.ofMillis(20))
                .until(() -> !topic.withEventId(eventId).isEmpty());
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;
        assertTrue(elapsedMs < 1_000, "published " + elapsedMs + " ms after commit");
        assertEquals(0, count("SELECT count(*) FROM pg_trigger WHERE tgrelid = $1::regclass AND NOT tgisinternal",
                "outbox_event"), "no NOTIFY trigger serialises the writers' commits");

        TopicWatcher.Received record = topic.withEventId(eventId).get(0);
        assertEquals(LedgerService.key(account), record.key());
        assertEquals("nexus.workflow.updated", record.header("ce_type"));
        assertEquals("application/cloudevents+json", record.header("content-type"));
        NexusEvent<WorkflowUpdated> event = codec.decode(record.value(), WorkflowUpdated.class);
        assertEquals(eventId, event.id());
        assertEquals(LedgerService.TENANT, event.tenantId());
        assertEquals("/nexus/eventing-test", event.source().toString());
        assertEquals(10, event.data().version());
        Awaitility.await().atMost(DELIVERY).until(() -> sentAt(eventId) != null);
    }

    @Test
    @Order(2)
    void aRolledBackChangePublishesNothing() throws Throwable {
        String account = account();
        assertThrows(IllegalStateException.class, () -> VertxContextSupport.subscribeAndAwait(
                () -> ledger.setBalanceThenFail(account, 99)));
        assertEquals(0, count("SELECT count(*) FROM outbox_event WHERE aggregate_id = $1", LedgerService.key(account)));
        assertEquals(0, count("SELECT count(*) FROM ledger_entry WHERE id = $1", account));

        // A later committed event of the same aggregate goes to the same partition after anything written before it.
        String marker = setBalance(account, 1);
        Awaitility.await().atMost(DELIVERY).until(() -> !topic.withEventId(marker).isEmpty());
        List<TopicWatcher.Received> published = topic.withKey(LedgerService.key(account));
        assertEquals(1, published.size(), "only the committed event was published");
        assertEquals(marker, published.get(0).header("ce_id"));
    }

    @Test
    @Order(3)
    void anEventRepublishedAfterARelayCrashBetweenSendAndMarkIsAppliedOnce() throws Throwable {
        String account = account();
        String eventId = setBalance(account, 5);
        Awaitility.await().atMost(DELIVERY).until(() -> appliedCount(eventId) == 1 && sentAt(eventId) != null);

        // What a relay killed after Kafka acknowledged but before it marked the row leaves behind: a sent, unmarked row.
        pool.preparedQuery("UPDATE outbox_event SET sent_at = NULL WHERE event_id = $1::uuid")
                .execute(Tuple.of(eventId)).await().atMost(Duration.ofSeconds(5));
        relay.nudge();

        Awaitility.await().atMost(DELIVERY).until(() -> topic.withEventId(eventId).size() == 2);
        Awaitility.await().atMost(DELIVERY).until(() -> sentAt(eventId) != null);
        // Give the consumer time to see the duplicate, then check it did not apply it again.
        Awaitility.await().pollDelay(Duration.ofSeconds(2)).atMost(DELIVERY).until(() -> true);
        assertEquals(1, appliedCount(eventId));
        assertEquals(1, count("SELECT count(*) FROM processed_event WHERE event_id = $1", eventId));
    }

    @Test
    @Order(4)
    void aConsumerFailureMidMessageIsRetriedAndAppliedExactlyOnce() throws Throwable {
        String account = account();
        String eventId = UUID.randomUUID().toString();
        // Fail twice after writing the effect (the transaction rolls back), succeed on the third attempt.
        LedgerProjection.failAfterWriting(eventId, 2);
        produceRaw(LedgerService.key(account), codec.encode(event(eventId, account, 3)));

        Awaitility.await().atMost(DELIVERY).until(() -> appliedCount(eventId) == 1);
        Awaitility.await().pollDelay(Duration.ofSeconds(1)).atMost(DELIVERY).until(() -> true);
        assertEquals(1, appliedCount(eventId));
    }

    @Test
    @Order(5)
    void anUnreadableMessageIsParkedAndCountedWhileConsumptionGoesOn() throws Throwable {
        double before = errors("consumer");
        try (TopicWatcher deadLetters = new TopicWatcher(bootstrapServers, TOPIC + ".dlq")) {
            produceRaw("poison", "not a cloud event".getBytes(StandardCharsets.UTF_8));
            String account = account();
            String after = setBalance(account, 7);
            Awaitility.await().atMost(DELIVERY).until(() -> deadLetters.received().stream()
                    .anyMatch(r -> "poison".equals(r.key())));
            Awaitility.await().atMost(DELIVERY).until(() -> appliedCount(after) == 1);
        }
        assertTrue(errors("consumer") >= before + 1, "parked messages count as consumer errors");
    }

    @Test
    @Order(5)
    void aMessageThatKeepsFailingIsParkedAfterTheLastAttemptAndNeverApplied() throws Throwable {
        double before = errors("consumer");
        String account = account();
        String eventId = UUID.randomUUID().toString();
        LedgerProjection.failAfterWriting(eventId, 100);
        try (TopicWatcher deadLetters = new TopicWatcher(bootstrapServers, TOPIC + ".dlq")) {
            produceRaw(LedgerService.key(account), codec.encode(event(eventId, account, 4)));
            Awaitility.await().atMost(DELIVERY).until(() -> deadLetters.received().stream()
                    .anyMatch(r -> LedgerService.key(account).equals(r.key())));
        }
        assertEquals(0, appliedCount(eventId), "every attempt rolled back");
        assertEquals(0, count("SELECT count(*) FROM processed_event WHERE event_id = $1", eventId));
        assertTrue(errors("consumer") >= before + 1);
    }

    @Test
    @Order(5)
    void writingAnEventOutsideATransactionIsRefused() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> VertxContextSupport.subscribeAndAwait(() -> io.quarkus.hibernate.reactive.panache.Panache
                        .withSession(() -> outbox.append(new WorkflowUpdated(LedgerService.TENANT, "x", 1,
                                java.time.Instant.now())))));
        assertTrue(refused.getMessage().contains("transaction"), refused.getMessage());
    }

    @Test
    @Order(5)
    void sentEventsAndOldProcessedIdsArePruned() throws Throwable {
        String account = account();
        String eventId = setBalance(account, 8);
        Awaitility.await().atMost(DELIVERY).until(() -> sentAt(eventId) != null && appliedCount(eventId) == 1);
        pool.preparedQuery("UPDATE outbox_event SET sent_at = now() - interval '2 hours' WHERE event_id = $1::uuid")
                .execute(Tuple.of(eventId)).await().atMost(Duration.ofSeconds(5));
        pool.preparedQuery("UPDATE processed_event SET processed_at = now() - interval '8 days' WHERE event_id = $1")
                .execute(Tuple.of(eventId)).await().atMost(Duration.ofSeconds(5));
        Awaitility.await().atMost(DELIVERY).until(() -> count(
                "SELECT count(*) FROM outbox_event WHERE event_id = $1::uuid", eventId) == 0
                && count("SELECT count(*) FROM processed_event WHERE event_id = $1", eventId) == 0);
        String recent = setBalance(account, 9);
        Awaitility.await().atMost(DELIVERY).until(() -> sentAt(recent) != null);
        Awaitility.await().pollDelay(Duration.ofSeconds(2)).atMost(DELIVERY).until(() -> true);
        assertEquals(1, count("SELECT count(*) FROM outbox_event WHERE event_id = $1::uuid", recent),
                "recently sent events are kept for the retention period");
    }

    @Test
    @Order(6)
    void onlyOneRelayPublishesAndAStandbyTakesOver() throws Throwable {
        OutboxRelay standby = new OutboxRelay(vertx, outboxConfig, metrics, bootstrapServers, "eventing-test",
                databaseUrl, databaseUser, databasePassword);
        standby.start();
        try {
            Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                    .until(() -> relay.isActive() && !standby.isActive());

            String account = account();
            List<String> ids = new ArrayList<>();
            for (int i = 1; i <= 20; i++) {
                ids.add(setBalance(account, i));
            }
            Awaitility.await().atMost(DELIVERY).until(() -> ids.stream().allMatch(id -> sentAt(id) != null));
            Awaitility.await().atMost(DELIVERY).until(() -> topic.withKey(LedgerService.key(account)).size() >= 20);
            assertEquals(20, topic.withKey(LedgerService.key(account)).size(), "each event published once");

            relay.stop();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(standby::isActive);
            String afterTakeover = setBalance(account, 21);
            Awaitility.await().atMost(DELIVERY).until(() -> topic.withEventId(afterTakeover).size() == 1);
        } finally {
            standby.stop();
            relay.start();
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(relay::isActive);
    }

    @Test
    @Order(7)
    void eventsWrittenWhileKafkaIsDownAreDeliveredAfterwardsInOrderPerAggregate() throws Throwable {
        double outboxErrorsBefore = errors("outbox");
        List<String> accounts = List.of(account(), account(), account());
        TestKafkaBroker.stopBroker();
        List<String> written = new ArrayList<>();
        try {
            for (int version = 1; version <= 5; version++) {
                for (String account : accounts) {
                    written.add(setBalance(account, version));
                }
            }
            Awaitility.await().atMost(DELIVERY).until(() -> errors("outbox") > outboxErrorsBefore);
            assertTrue(written.stream().allMatch(id -> sentAt(id) == null), "nothing is marked sent during the outage");
        } finally {
            TestKafkaBroker.startBroker();
        }

        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> written.stream().allMatch(id -> sentAt(id) != null));
        for (String account : accounts) {
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> appliedVersions(account).size() == 5);
            assertEquals(List.of(1, 2, 3, 4, 5), appliedVersions(account), "applied in order for " + account);
            // The watcher reconnects to the restarted broker on its own schedule: wait until it has read them all.
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> publishedVersions(account).size() >= 5);
            assertEquals(List.of(1, 2, 3, 4, 5), publishedVersions(account), "published in order for " + account);
        }
    }

    private List<Integer> publishedVersions(String account) {
        return topic.withKey(LedgerService.key(account)).stream()
                .map(r -> codec.decode(r.value(), WorkflowUpdated.class).data().version())
                .distinct().toList();
    }

    private String setBalance(String account, int balance) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> ledger.setBalance(account, balance));
    }

    /** An event as another service's relay would publish it. */
    private static NexusEvent<WorkflowUpdated> event(String eventId, String account, int version) {
        return new NexusEvent<>(eventId, "nexus.workflow.updated", java.net.URI.create("/nexus/test"),
                LedgerService.key(account), java.time.OffsetDateTime.now(), LedgerService.TENANT,
                new WorkflowUpdated(LedgerService.TENANT, account, version, java.time.Instant.now()));
    }

    private void produceRaw(String key, byte[] value) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", bootstrapServers,
                "key.serializer", StringSerializer.class.getName(),
                "value.serializer", ByteArraySerializer.class.getName()))) {
            producer.send(new ProducerRecord<>(TOPIC, key, value)).get();
        }
    }

    private Object sentAt(String eventId) {
        Row row = pool.preparedQuery("SELECT sent_at FROM outbox_event WHERE event_id = $1::uuid")
                .execute(Tuple.of(eventId)).await().atMost(Duration.ofSeconds(5)).iterator().next();
        return row.getValue("sent_at");
    }

    private long appliedCount(String eventId) {
        return count("SELECT count(*) FROM applied_event WHERE event_id = $1", eventId);
    }

    private List<Integer> appliedVersions(String account) {
        List<Integer> versions = new ArrayList<>();
        pool.preparedQuery("SELECT version FROM applied_event WHERE aggregate_id = $1 ORDER BY applied_order")
                .execute(Tuple.of(LedgerService.key(account))).await().atMost(Duration.ofSeconds(5))
                .forEach(row -> versions.add(row.getInteger("version")));
        return versions;
    }

    private long count(String sql, String parameter) {
        return pool.preparedQuery(sql).execute(Tuple.of(parameter)).await().atMost(Duration.ofSeconds(5))
                .iterator().next().getLong(0);
    }

    private double errors(String type) {
        return new PrometheusScrape(RestAssured.get("/q/metrics").asString())
                .sum("nexus_errors_total", Map.of("type", type)).orElse(0);
    }

    private static String account() {
        return "acct-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
