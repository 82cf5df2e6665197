package io.nexus.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import io.nexus.common.identity.IdentityTokens;
import io.nexus.events.EventCodec;
import io.nexus.events.EventPayload;
import io.nexus.events.NexusEvent;
import io.nexus.events.execution.ExecutionCancelled;
import io.nexus.events.execution.ExecutionCompleted;
import io.nexus.events.execution.ExecutionFailed;
import io.nexus.events.execution.ExecutionStarted;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * What the projection of nexus.executions costs and guarantees without a processed-event record: executions without a
 * session write nothing, a replayed end changes nothing, and a status never moves back. Every test sends its events
 * with one Kafka key (one partition, in order) and ends with a marker execution: once the marker is projected, so is
 * everything sent before it.
 */
@QuarkusTest
@QuarkusTestResource(TestRedisServer.class)
class SessionExecutionEventsTest {

    private static final Logger LOG = Logger.getLogger(SessionExecutionEventsTest.class);
    private static final String TOPIC = "test.nexus.executions";
    /** PostgreSQL backends publish their statistics at least every 10 s when idle (PGSTAT_IDLE_INTERVAL). */
    private static final Duration STATS_FLUSH = Duration.ofSeconds(11);

    private final EventCodec codec = new EventCodec();

    @Inject
    IdentityTokens tokens;

    @Inject
    Pool pool;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void executionsWithoutASessionLeaveNoRowsAndWriteNothing() throws Exception {
        SessionCalls calls = new SessionCalls(tokens);
        String tenant = UUID.randomUUID().toString();
        String session = calls.create(tenant, Map.of());
        int executions = 100;
        List<NexusEvent<EventPayload>> events = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        Instant now = Instant.now();
        for (int i = 0; i < executions; i++) {
            String id = UUID.randomUUID().toString();
            ids.add(id);
            events.add(event(new ExecutionStarted(id, tenant, "greet", 1, "api", null, null, now)));
            events.add(event(i % 3 == 0 ? new ExecutionFailed(id, tenant, "greet", 1, "api", "boom", "n1", 3, now)
                    : new ExecutionCompleted(id, tenant, "greet", 1, "api", 3, now)));
        }
        Counters before = counters();
        send(session, events);
        String marker = markerProjected(tenant, session);
        Thread.sleep(STATS_FLUSH.toMillis());
        Counters after = counters();

        long written = after.rowsWritten - before.rowsWritten;
        LOG.infof("%d executions without a session: xact_commit +%d (%.2f per execution), rows written +%d "
                + "(marker execution 2, the rest background), wal-bearing xids +%d (cluster-wide)", executions,
                after.commits - before.commits, (after.commits - before.commits) / (double) executions, written,
                after.nextXid - before.nextXid);
        List<UUID> executionIds = ids.stream().map(UUID::fromString).toList();
        List<String> eventIds = events.stream().map(NexusEvent::id).toList();
        assertEquals(0, count("SELECT count(*) FROM session_executions WHERE execution_id = ANY($1)",
                executionIds.toArray(UUID[]::new)));
        assertEquals(0, count("SELECT count(*) FROM processed_event WHERE event_id = ANY($1)",
                eventIds.toArray(String[]::new)), "no event of an execution is recorded");
        assertEquals(1, count("SELECT count(*) FROM session_executions WHERE execution_id = ANY($1)",
                new UUID[] { UUID.fromString(marker) }));
        // Recording each event took a row (and a commit with an fsync) per event: 2 per execution.
        assertTrue(written < executions / 2, "rows written in the database while projecting: " + written);
    }

    @Test
    void aReplayedEndChangesNothing() throws Exception {
        SessionCalls calls = new SessionCalls(tokens);
        String tenant = UUID.randomUUID().toString();
        String session = calls.create(tenant, Map.of());
        String id = UUID.randomUUID().toString();
        Instant started = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        NexusEvent<EventPayload> end = event(new ExecutionCompleted(id, tenant, "greet", 1, "cli", 5,
                started.plusSeconds(1)));
        send(session, List.of(event(new ExecutionStarted(id, tenant, "greet", 1, "cli", session, null, started)),
                end));
        Awaitility.await("the execution completed").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> "completed".equals(projected(id).status));
        Projected first = projected(id);

        send(session, List.of(end, end));
        markerProjected(tenant, session);

        Projected again = projected(id);
        assertEquals(first, again, "the row, its version (xmin) included");
    }

    @Test
    void anOlderEventAfterANewerOneDoesNotMoveTheStatusBack() throws Exception {
        SessionCalls calls = new SessionCalls(tokens);
        String tenant = UUID.randomUUID().toString();
        String session = calls.create(tenant, Map.of());
        String id = UUID.randomUUID().toString();
        Instant started = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        NexusEvent<EventPayload> start = event(new ExecutionStarted(id, tenant, "greet", 1, "cli", session, null,
                started));
        send(session, List.of(start,
                event(new ExecutionCancelled(id, tenant, "greet", 1, "cli", 5, started.plusSeconds(1)))));
        Awaitility.await("the execution cancelled").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> "cancelled".equals(projected(id).status));
        Projected cancelled = projected(id);

        // The start redelivered, the same start republished under another event id, and an end that cannot follow
        // the one already applied.
        send(session, List.of(start,
                event(new ExecutionStarted(id, tenant, "greet", 1, "cli", session, null, started)),
                event(new ExecutionCompleted(id, tenant, "greet", 1, "cli", 9, started.plusSeconds(2)))));
        markerProjected(tenant, session);

        assertEquals(cancelled, projected(id));
        assertEquals(started.plusSeconds(1), cancelled.finishedAt);
    }

    /** Sends a started and a completed execution in {@code session}; returns its id once it is projected ended. */
    private String markerProjected(String tenant, String session) throws Exception {
        String marker = UUID.randomUUID().toString();
        Instant now = Instant.now();
        send(session, List.of(event(new ExecutionStarted(marker, tenant, "marker", 1, "api", session, null, now)),
                event(new ExecutionCompleted(marker, tenant, "marker", 1, "api", 1, now))));
        Awaitility.await("the marker execution projected").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> "completed".equals(projected(marker).status));
        return marker;
    }

    private record Projected(String version, String status, Instant finishedAt) {
    }

    private record Counters(long commits, long rowsWritten, long nextXid) {
    }

    private Projected projected(String executionId) {
        var rows = pool.preparedQuery("SELECT xmin::text, status, finished_at FROM session_executions "
                + "WHERE execution_id = $1")
                .execute(Tuple.of(UUID.fromString(executionId))).await().atMost(Duration.ofSeconds(5));
        if (rows.size() == 0) {
            return new Projected(null, null, null);
        }
        Row row = rows.iterator().next();
        return new Projected(row.getString(0), row.getString(1),
                row.getOffsetDateTime(2) == null ? null : row.getOffsetDateTime(2).toInstant());
    }

    private Counters counters() {
        Row row = pool.query("SELECT xact_commit, tup_inserted + tup_updated + tup_deleted, "
                + "pg_snapshot_xmax(pg_current_snapshot())::text::bigint "
                + "FROM pg_stat_database WHERE datname = current_database()")
                .execute().await().atMost(Duration.ofSeconds(5)).iterator().next();
        return new Counters(row.getLong(0), row.getLong(1), row.getLong(2));
    }

    private long count(String sql, Object array) {
        return pool.preparedQuery(sql).execute(Tuple.of(array)).await().atMost(Duration.ofSeconds(5))
                .iterator().next().getLong(0);
    }

    private static NexusEvent<EventPayload> event(EventPayload payload) {
        return NexusEvent.of(UUID.randomUUID().toString(), "test", Instant.now(), payload);
    }

    /** One key for all: one partition, so the consumer sees them in this order. */
    private void send(String key, List<NexusEvent<EventPayload>> events) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", bootstrapServers,
                "key.serializer", StringSerializer.class.getName(),
                "value.serializer", ByteArraySerializer.class.getName()))) {
            for (NexusEvent<EventPayload> event : events) {
                producer.send(new ProducerRecord<>(TOPIC, key, codec.encode(event)));
            }
            producer.flush();
        }
    }
}
