package io.nexus.common.outbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.nexus.common.database.DedicatedConnection;
import io.nexus.common.metrics.ContractMetrics;
import io.nexus.common.metrics.ErrorType;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;

/**
 * Publishes committed outbox events to Kafka, at least once and in order per aggregate.
 *
 * <p>One relay per service is active: the one whose own database connection holds a PostgreSQL advisory lock. The other
 * replicas stand by and retry; when the active one dies its connection closes, the lock is released, and a standby
 * takes over within {@code nexus.outbox.leader-retry-interval}. The active relay polls the unsent rows every
 * {@code nexus.outbox.poll-interval} (100 ms) and keeps draining while batches come back full; it is not woken by
 * NOTIFY, which would serialise every writer's commit (migration V1_1). Rows are marked sent only after Kafka
 * acknowledges them; a relay killed between send and mark republishes, and consumers de-duplicate by {@code ce_id}.
 */
@ApplicationScoped
@IfBuildProperty(name = "nexus.database.enabled", stringValue = "true")
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    /** Each service owns its database, so one constant key per database is enough ("nexus" in ASCII). */
    static final long LOCK_KEY = 0x6e65787573L;

    private static final String FETCH = "SELECT position, event_id::text AS event_id, event_type, topic, aggregate_id,"
            + " payload FROM outbox_event WHERE sent_at IS NULL ORDER BY position LIMIT $1";
    private static final String MARK_SENT = "UPDATE outbox_event SET sent_at = now() WHERE position = ANY($1)";
    private static final String PRUNE_SENT =
            "DELETE FROM outbox_event WHERE sent_at < now() - ($1::bigint * interval '1 second')";
    private static final long MIN_BACKOFF_MS = 200;

    private final Vertx vertx;
    private final PgConnectOptions lockConnectionOptions;
    private final OutboxConfig config;
    private final ContractMetrics metrics;
    private final String bootstrapServers;
    private final String service;

    private final AtomicBoolean acquiring = new AtomicBoolean();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final List<Long> timers = new ArrayList<>();
    private volatile SqlConnection leader;
    private volatile boolean drainRequested;
    private volatile boolean stopped = true;
    private volatile long backoffMs;
    private OutboxPublisher publisher;

    public OutboxRelay(Vertx vertx, OutboxConfig config, ContractMetrics metrics,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @ConfigProperty(name = "quarkus.application.name") String service,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String databaseUrl,
            @ConfigProperty(name = "quarkus.datasource.username") String databaseUser,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> databasePassword) {
        this.vertx = vertx;
        // The lock lives as long as the session that took it, so the relay needs a connection of its own: a pooled
        // one would go back to the pool on close with the lock still held.
        this.lockConnectionOptions = DedicatedConnection.options(databaseUrl, databaseUser, databasePassword);
        this.config = config;
        this.metrics = metrics;
        this.bootstrapServers = bootstrapServers;
        this.service = service;
    }

    void onStart(@Observes StartupEvent event) {
        if (config.relayEnabled()) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    public synchronized void start() {
        if (!stopped) {
            return;
        }
        stopped = false;
        publisher = new OutboxPublisher(bootstrapServers, OutboxPublisher.clientId(service), config.sendTimeout());
        timers.add(vertx.setPeriodic(config.leaderRetryInterval().toMillis(), id -> tryToLead()));
        timers.add(vertx.setPeriodic(config.pollInterval().toMillis(), id -> nudge()));
        timers.add(vertx.setPeriodic(config.pruneInterval().toMillis(), id -> pruneSent()));
        tryToLead();
    }

    /** Stops publishing and releases the lock, so that a standby replica takes over at once. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        timers.forEach(vertx::cancelTimer);
        timers.clear();
        SqlConnection connection = leader;
        leader = null;
        if (connection != null) {
            connection.close().await().atMost(java.time.Duration.ofSeconds(5));
        }
        publisher.close();
    }

    /** Whether this relay currently holds the lock and publishes. */
    public boolean isActive() {
        return leader != null;
    }

    /** Asks for a drain round now; cheap, and a no-op on a standby replica. */
    public void nudge() {
        drainRequested = true;
        if (leader != null && draining.compareAndSet(false, true)) {
            drainRound();
        }
    }

    private void tryToLead() {
        if (stopped || leader != null || !acquiring.compareAndSet(false, true)) {
            return;
        }
        PgConnection.connect(vertx, lockConnectionOptions)
                .<SqlConnection> map(connection -> connection)
                .chain(connection -> connection.query("SELECT pg_try_advisory_lock(" + LOCK_KEY + ") AS locked")
                        .execute()
                        .chain(rows -> rows.iterator().next().getBoolean("locked")
                                ? Uni.createFrom().item(connection)
                                : connection.close().replaceWith((SqlConnection) null))
                        .onFailure().call(connection::close))
                .subscribe().with(this::becomeLeader, failure -> {
                    acquiring.set(false);
                    LOG.debugf("Outbox relay could not try the lock: %s", failure.getMessage());
                });
    }

    private void becomeLeader(SqlConnection connection) {
        acquiring.set(false);
        if (connection == null) {
            return;
        }
        if (stopped) {
            connection.closeAndForget();
            return;
        }
        connection.closeHandler(() -> leadershipLost(connection));
        leader = connection;
        LOG.infof("Outbox relay of %s is active on this replica", service);
        nudge();
    }

    private void leadershipLost(SqlConnection connection) {
        if (leader == connection) {
            leader = null;
            if (!stopped) {
                LOG.warn("Outbox relay lost its database connection and with it the lock; standing by");
            }
        }
    }

    private void drainRound() {
        drainRequested = false;
        SqlConnection connection = leader;
        if (connection == null || stopped) {
            draining.set(false);
            return;
        }
        connection.preparedQuery(FETCH).execute(Tuple.of(config.batchSize()))
                .chain(rows -> publishAndMark(connection, rows))
                .subscribe().with(fullBatch -> {
                    backoffMs = 0;
                    draining.set(false);
                    if (fullBatch || drainRequested) {
                        nudge();
                    }
                }, this::roundFailed);
    }

    /** Returns whether the batch was full, i.e. more events may be waiting. */
    private Uni<Boolean> publishAndMark(SqlConnection connection, RowSet<Row> rows) {
        if (rows.size() == 0) {
            return Uni.createFrom().item(false);
        }
        List<PendingEvent> batch = new ArrayList<>(rows.size());
        rows.forEach(row -> batch.add(PendingEvent.of(row)));
        return publisher.publish(batch).chain(outcome -> markSent(connection, outcome.acknowledged())
                .map(marked -> {
                    if (outcome.failure() != null) {
                        throw new OutboxPublishException(outcome.acknowledged().size(), batch.size(),
                                outcome.failure());
                    }
                    return batch.size() == config.batchSize();
                }));
    }

    /** Marks what Kafka acknowledged; rows of other aggregates may be marked past a failed one, never its own. */
    private Uni<Integer> markSent(SqlConnection connection, List<Long> positions) {
        if (positions.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return connection.preparedQuery(MARK_SENT)
                .execute(Tuple.of(positions.toArray(new Long[0])))
                .map(RowSet::rowCount);
    }

    private void roundFailed(Throwable failure) {
        metrics.countError(ErrorType.OUTBOX);
        backoffMs = backoffMs == 0 ? MIN_BACKOFF_MS : Math.min(backoffMs * 2, config.maxBackoff().toMillis());
        LOG.warnf("Outbox relay round failed, retrying in %d ms: %s", backoffMs, failure.getMessage());
        draining.set(false);
        if (!stopped) {
            vertx.setTimer(backoffMs, id -> nudge());
        }
    }

    private void pruneSent() {
        SqlConnection connection = leader;
        if (connection == null) {
            return;
        }
        connection.preparedQuery(PRUNE_SENT).execute(Tuple.of(config.sentRetention().toSeconds()))
                .subscribe().with(rows -> {
                    if (rows.rowCount() > 0) {
                        LOG.debugf("Pruned %d sent outbox events", rows.rowCount());
                    }
                }, failure -> LOG.warnf("Pruning sent outbox events failed: %s", failure.getMessage()));
    }
}
