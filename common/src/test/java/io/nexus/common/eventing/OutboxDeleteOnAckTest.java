package io.nexus.common.eventing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.nexus.common.outbox.OutboxConfig;
import io.nexus.common.testing.TestKafkaBroker;
import io.nexus.common.testing.TopicWatcher;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The outbox as production runs it (sent retention 0): a row is deleted once Kafka has acknowledged its event, never
 * marked; rows marked under an earlier, longer retention are still pruned. (The other eventing tests keep sent rows an
 * hour, as every service's tests do, to read what was written.)
 */
@QuarkusTest
@TestProfile(OutboxDeleteOnAckTest.DeleteOnAck.class)
@QuarkusTestResource(TestKafkaBroker.class)
class OutboxDeleteOnAckTest {

    private static final String TOPIC = "test.nexus.workflows";
    private static final Duration DELIVERY = Duration.ofSeconds(20);

    private static TopicWatcher topic;

    @Inject
    LedgerService ledger;
    @Inject
    OutboxConfig config;
    @Inject
    Pool pool;

    /** Production's default retention; prunes as often as the other eventing tests. */
    public static class DeleteOnAck implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("nexus.outbox.sent-retention", "0s");
        }
    }

    @BeforeAll
    static void watchTopic() {
        topic = new TopicWatcher(TestKafkaBroker.bootstrapServers(), TOPIC);
    }

    @AfterAll
    static void stopWatching() {
        topic.close();
    }

    @Test
    void aPublishedEventLeavesTheTableWithoutEverBeingMarked() throws Throwable {
        assertEquals(Duration.ZERO, config.sentRetention(), "the retention this test is about");
        // A mark would be gone again by the next prune (every second here), so a trigger notes any that happens.
        execute("CREATE TABLE outbox_marks (event_id uuid)");
        execute("CREATE FUNCTION outbox_marked() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "INSERT INTO outbox_marks VALUES (NEW.event_id); RETURN NEW; END $$");
        execute("CREATE TRIGGER outbox_marked BEFORE UPDATE ON outbox_event FOR EACH ROW "
                + "EXECUTE FUNCTION outbox_marked()");
        try {
            String account = "acct-" + UUID.randomUUID().toString().substring(0, 8);
            String first = VertxContextSupport.subscribeAndAwait(() -> ledger.setBalance(account, 1));
            String second = VertxContextSupport.subscribeAndAwait(() -> ledger.setBalance(account, 2));

            Awaitility.await().atMost(DELIVERY).until(() -> !topic.withEventId(second).isEmpty());
            assertEquals(1, topic.withEventId(first).size(), "the first event was published too");
            Awaitility.await().atMost(DELIVERY).until(() -> rows("outbox_event",
                    "event_id = $1::uuid OR event_id = $2::uuid", Tuple.of(first, second)) == 0);
            assertEquals(0, rows("outbox_marks", "true", Tuple.tuple()), "no row was marked sent");
        } finally {
            execute("DROP TRIGGER outbox_marked ON outbox_event");
            execute("DROP FUNCTION outbox_marked()");
            execute("DROP TABLE outbox_marks");
        }
    }

    @Test
    void rowsMarkedUnderALongerRetentionArePrunedStill() {
        // What a relay with sent-retention=1h left behind before the retention was set to 0.
        String eventId = UUID.randomUUID().toString();
        pool.preparedQuery("INSERT INTO outbox_event (event_id, event_type, topic, aggregate_id, payload, sent_at)"
                + " VALUES ($1::uuid, 'nexus.workflow.updated', 'test.nexus.marked', 'marked', '{}', now())")
                .execute(Tuple.of(eventId)).await().atMost(Duration.ofSeconds(5));
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> rows("outbox_event", "event_id = $1::uuid", Tuple.of(eventId)) == 0);
    }

    private long rows(String table, String where, Tuple arguments) {
        return pool.preparedQuery("SELECT count(*) FROM " + table + " WHERE " + where).execute(arguments)
                .await().atMost(Duration.ofSeconds(5)).iterator().next().getLong(0);
    }

    private void execute(String statement) {
        pool.query(statement).execute().await().atMost(Duration.ofSeconds(5));
    }
}
