package io.nexus.common.eventing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.nexus.common.outbox.OutboxConfig;
import io.nexus.common.outbox.OutboxRelay;
import io.nexus.common.outbox.OutboxWriter;
import io.nexus.common.testing.TestKafkaBroker;
import io.nexus.events.workflow.WorkflowUpdated;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The relay's adaptive polling on real PostgreSQL and Kafka: an idle relay polls about once per
 * {@code nexus.outbox.idle-poll-interval} (1 s) instead of every {@code poll-interval} (100 ms), yet an event committed
 * on this replica still leaves at once (its writer nudges the relay), and one committed elsewhere (a plain INSERT, as
 * another replica's) within the idle interval. Latency is measured from the moment the commit returned to the
 * row's {@code sent_at} (the relay marks it once Kafka has acknowledged it; the same host's clock).
 */
@QuarkusTest
@QuarkusTestResource(TestKafkaBroker.class)
class OutboxPollingTest {

    /** An idle relay has backed off to its ceiling after 100 + 200 + 400 + 800 ms of empty polls. */
    private static final Duration IDLE = Duration.ofMillis(2_500);
    private static final Duration DELIVERY = Duration.ofSeconds(20);
    /** Without the nudge an idle relay finds an event after 0–1 s, so three in a row under 200 ms is chance 0.8 %. */
    private static final int TRIES = 3;
    private static final long AT_ONCE_MS = 200;
    /** A Hibernate Reactive commit is announced, not seen: the relay polls at the poll interval (100 ms) for it. */
    private static final long WITHIN_POLL_INTERVAL_MS = 250;
    /** Not a consumer's topic: the rows "another replica" writes carry no CloudEvent. */
    private static final String FOREIGN_TOPIC = "test.nexus.outbox-polling";

    @Inject
    OutboxRelay relay;
    @Inject
    OutboxWriter outbox;
    @Inject
    OutboxConfig config;
    @Inject
    LedgerService ledger;
    @Inject
    Pool pool;

    @BeforeEach
    void relayIsActiveAndKafkaKnowsTheTopics() throws Throwable {
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(relay::isActive);
        // The first send to a topic waits for its metadata (and creation); not what these tests measure.
        String account = account();
        appendWithSqlClient(account);
        String platform = eventIdOf(account);
        String foreign = insertAsAnotherReplica();
        Awaitility.await().atMost(DELIVERY).until(() -> sentAtMs(platform) != null && sentAtMs(foreign) != null);
    }

    @Test
    void anIdleRelayPollsAboutOncePerIdleInterval() {
        assertTrue(config.idlePollInterval().toMillis() == 1_000 && config.pollInterval().toMillis() == 100,
                "the defaults this test is about: " + config.pollInterval() + ", " + config.idlePollInterval());
        idle();
        long before = relay.rounds();
        Awaitility.await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(() -> true);
        long polls = relay.rounds() - before;
        // Every 100 ms this would be 50.
        assertTrue(polls >= 3 && polls <= 7, polls + " polls in 5 s of idling");
    }

    @Test
    void anEventCommittedOnThisReplicaLeavesAnIdleRelayAtOnce() throws Throwable {
        for (int i = 0; i < TRIES; i++) {
            idle();
            String account = account();
            appendWithSqlClient(account);
            long committedAt = System.currentTimeMillis();
            long latency = awaitLatency(eventIdOf(account), committedAt);
            assertTrue(latency < AT_ONCE_MS, "a committed transaction's event published " + latency + " ms after");
        }
    }

    @Test
    void anEventCommittedByHibernateReactiveLeavesAnIdleRelayWithinThePollInterval() throws Throwable {
        for (int i = 0; i < TRIES; i++) {
            idle();
            String eventId = VertxContextSupport.subscribeAndAwait(() -> ledger.setBalance(account(), 1));
            long latency = awaitLatency(eventId, System.currentTimeMillis());
            assertTrue(latency < WITHIN_POLL_INTERVAL_MS, "a @WithTransaction event published " + latency + " ms after");
        }
    }

    @Test
    void anEventAnotherReplicaCommittedIsPublishedWithinTheIdleInterval() throws Throwable {
        long ceiling = config.idlePollInterval().toMillis();
        for (int i = 0; i < TRIES; i++) {
            idle();
            String eventId = insertAsAnotherReplica();
            long latency = awaitLatency(eventId, System.currentTimeMillis());
            // The idle pause, plus the publish and a timer's slack.
            assertTrue(latency < ceiling + 300, "another replica's event published " + latency + " ms after");
        }
    }

    /** No events for long enough that the relay has backed off to its idle interval. */
    private static void idle() {
        Awaitility.await().pollDelay(IDLE).atMost(IDLE.plusSeconds(1)).until(() -> true);
    }

    /** An event appended on the reactive SQL client's connection, in a transaction of its own. */
    private void appendWithSqlClient(String account) {
        pool.withTransaction(tx -> outbox.append(tx, List.of(new WorkflowUpdated(LedgerService.TENANT, account, 1,
                Instant.now())))).await().atMost(Duration.ofSeconds(10));
    }

    private String eventIdOf(String account) {
        return pool.preparedQuery("SELECT event_id::text FROM outbox_event WHERE aggregate_id = $1")
                .execute(Tuple.of(LedgerService.key(account))).await().atMost(Duration.ofSeconds(5))
                .iterator().next().getString(0);
    }

    /** A row as a writer on another replica commits it: nothing in this JVM hears of it. */
    private String insertAsAnotherReplica() {
        String eventId = UUID.randomUUID().toString();
        pool.preparedQuery("INSERT INTO outbox_event (event_id, event_type, topic, aggregate_id, payload)"
                + " VALUES ($1::uuid, 'nexus.test.foreign', $2, $3, '{}')")
                .execute(Tuple.of(eventId, FOREIGN_TOPIC, "foreign-" + eventId)).await().atMost(Duration.ofSeconds(5));
        return eventId;
    }

    /** From {@code committedAtMs} (when the commit returned) to the row's mark as sent. */
    private long awaitLatency(String eventId, long committedAtMs) {
        Awaitility.await().atMost(DELIVERY).pollInterval(Duration.ofMillis(50)).until(() -> sentAtMs(eventId) != null);
        return sentAtMs(eventId) - committedAtMs;
    }

    /** When the row was marked sent (epoch milliseconds); null while unsent. */
    private Long sentAtMs(String eventId) {
        Object value = pool.preparedQuery("SELECT (extract(epoch FROM sent_at) * 1000)::bigint"
                + " FROM outbox_event WHERE event_id = $1::uuid")
                .execute(Tuple.of(eventId)).await().atMost(Duration.ofSeconds(5)).iterator().next().getValue(0);
        return value == null ? null : ((Number) value).longValue();
    }

    private static String account() {
        return "acct-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
