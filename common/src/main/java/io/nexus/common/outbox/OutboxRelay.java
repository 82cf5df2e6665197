package io.nexus.common.outbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

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
 * takes over within {@code nexus.outbox.leader-retry-interval}. Rows are deleted (or, with a
 * {@code nexus.outbox.sent-retention}, marked sent) only after Kafka acknowledges them; a relay killed between send and
 * delete republishes, and consumers de-duplicate by {@code ce_id}.
 *
 * <p>Polling adapts to the traffic. While rounds find events the active relay polls every
 * {@code nexus.outbox.poll-interval} (100 ms), and at once again while batches come back full; each poll that finds
 * nothing doubles the pause, up to {@code nexus.outbox.idle-poll-interval} (1 s), so an idle service costs PostgreSQL
 * about one poll a second instead of ten. Writers on this replica {@link #nudge() nudge} the relay when their events
 * commit, so those leave at once even from an idle relay; events committed on another replica wait for the next poll,
 * at most the idle interval. It is not woken by NOTIFY, which would serialise every writer's commit (migration V1_1).
 * A poll is one round trip: the relay's connection caches its prepared statements, so PostgreSQL neither parses nor
 * plans them again.
 */
@ApplicationScoped
@IfBuildProperty(name = "nexus.database.enabled", stringValue = "true")
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    /** Each service owns its database, so one constant key per database is enough ("nexus" in ASCII). */
    static final long LOCK_KEY = 0x6e65787573L;

    // Named columns, not *, so that a column a later migration adds does not change the cached statement's result
    // type (PostgreSQL refuses to run a prepared statement whose result type changed). The batch size is a literal:
    // the cached statement's generic plan then knows the limit.
    private static final String FETCH = "SELECT position, event_id::text AS event_id, event_type, topic, aggregate_id,"
            + " payload FROM outbox_event WHERE sent_at IS NULL ORDER BY position LIMIT ";
    private static final String DELETE_SENT = "DELETE FROM outbox_event WHERE position = ANY($1)";
    private static final String MARK_SENT = "UPDATE outbox_event SET sent_at = now() WHERE position = ANY($1)";
    private static final String PRUNE_SENT =
            "DELETE FROM outbox_event WHERE sent_at < now() - ($1::bigint * interval '1 second')";
    private static final long MIN_BACKOFF_MS = 200;
    /** The idle pause stops doubling long before a shift could overflow. */
    private static final int MAX_DOUBLINGS = 20;

    private final Vertx vertx;
    private final PgConnectOptions lockConnectionOptions;
    private final OutboxConfig config;
    private final ContractMetrics metrics;
    private final String bootstrapServers;
    private final String service;
    private final String fetch;
    /** What becomes of acknowledged rows: deleted at once, or marked sent and kept for the sent retention. */
    private final String acknowledge;
    private final long pollMs;
    private final long idlePollMs;

    private final AtomicBoolean acquiring = new AtomicBoolean();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicLong rounds = new AtomicLong();
    private final List<Long> timers = new ArrayList<>();
    private volatile SqlConnection leader;
    /** Committed events are waiting: the round in progress (or a timer) must be followed by one within the interval. */
    private volatile boolean drainRequested;
    /** When a statement this replica runs last announced events about to commit (System.nanoTime()). */
    private volatile long commitExpectedAt;
    private volatile boolean stopped = true;
    /** The retry pause after failed rounds; 0 while rounds succeed. */
    private volatile long backoffMs;
    /** Rounds in a row that found nothing; each doubles the pause before the next poll. */
    private volatile int emptyRounds;
    private volatile long lastRoundStart;
    /** The one pending poll timer (-1: none) and when it fires (System.nanoTime()); written under {@code pollLock}. */
    private final Object pollLock = new Object();
    private volatile long pollTimer = -1;
    private volatile long pollDue;
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
        // Its few statements run ten times a second at most and forever: cached, each is parsed and planned once per
        // connection, and a poll is a single round trip (uncached, the client prepares it anew first).
        this.lockConnectionOptions = DedicatedConnection.options(databaseUrl, databaseUser, databasePassword)
                .setCachePreparedStatements(true);
        this.config = config;
        this.metrics = metrics;
        this.bootstrapServers = bootstrapServers;
        this.service = service;
        this.fetch = FETCH + config.batchSize();
        this.acknowledge = config.sentRetention().isZero() ? DELETE_SENT : MARK_SENT;
        this.pollMs = Math.max(1, config.pollInterval().toMillis());
        this.idlePollMs = Math.max(pollMs, config.idlePollInterval().toMillis());
        this.commitExpectedAt = System.nanoTime() - TimeUnit.DAYS.toNanos(1);
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
        cancelPoll();
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

    /**
     * Events were committed on this replica: publishes them as soon as the poll interval allows, at once when the
     * relay was idle. Call it only once the commit succeeded (a round before it would not see the rows and the
     * relay would back off). Cheap from any thread, whatever the commit rate: a volatile read when a round is already
     * asked for, at most one timer per round otherwise, never blocking; a no-op on a standby replica. During the
     * retry pause after failed rounds it brings the retry forward to the poll interval: new events are worth a try
     * (a failure is often one topic's leader moving), and the interval still bounds the retries while Kafka is away.
     */
    public void nudge() {
        if (drainRequested || leader == null) {
            return;
        }
        drainRequested = true;
        // Seen by the round in progress when it ends, or by this check (both are volatile, so one of them sees it).
        if (!draining.get()) {
            pollWithin(sinceLastRound());
        }
    }

    /**
     * A statement this replica runs is about to commit events, and the caller will not learn when it has (a
     * Hibernate Reactive transaction, an auto-committed statement): polls at the poll interval until a round has
     * seen them, instead of backing off. Latency as without idle back-off (at most the poll interval); cheap from
     * any thread, whatever the rate; a no-op on a standby replica.
     */
    public void expectCommit() {
        if (leader == null) {
            return;
        }
        commitExpectedAt = System.nanoTime();
        if (draining.get()) {
            return; // the round's end sees the announcement
        }
        if (pollTimer != -1 && pollDue - (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pollMs)) <= 0) {
            return; // a poll is due within the interval anyway
        }
        pollWithin(pollMs);
    }

    /** Rounds started since this relay was created (each is one FETCH); for tests and diagnostics. */
    public long rounds() {
        return rounds.get();
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
        backoffMs = 0;
        emptyRounds = 0;
        leader = connection;
        LOG.infof("Outbox relay of %s is active on this replica", service);
        startRound();
    }

    private void leadershipLost(SqlConnection connection) {
        if (leader == connection) {
            leader = null;
            if (!stopped) {
                LOG.warn("Outbox relay lost its database connection and with it the lock; standing by");
            }
        }
    }

    /** A round now, or right after the one in progress. */
    private void startRound() {
        if (leader == null || stopped) {
            return;
        }
        // Asked first, then tried: a round ending meanwhile either sees the request or leaves the flag to this one.
        drainRequested = true;
        if (draining.compareAndSet(false, true)) {
            drainRound();
        }
    }

    private void drainRound() {
        drainRequested = false;
        SqlConnection connection = leader;
        if (connection == null || stopped) {
            draining.set(false);
            return;
        }
        cancelPoll();
        rounds.incrementAndGet();
        lastRoundStart = System.nanoTime();
        connection.preparedQuery(fetch).execute()
                .chain(rows -> publishAndAcknowledge(connection, rows))
                .subscribe().with(this::roundDone, this::roundFailed);
    }

    private void roundDone(int published) {
        backoffMs = 0;
        // A commit announced shortly before or during the round may have landed after its read: poll again at the
        // poll interval rather than backing off.
        boolean announced = commitExpectedAt - (lastRoundStart - TimeUnit.MILLISECONDS.toNanos(pollMs)) > 0;
        emptyRounds = published > 0 || announced ? 0 : Math.min(emptyRounds + 1, MAX_DOUBLINGS);
        draining.set(false);
        if (published == config.batchSize()) {
            startRound(); // a full batch: more are probably waiting
        } else if (drainRequested || emptyRounds == 0) {
            pollWithin(sinceLastRound()); // busy: keep the poll interval's cadence
        } else {
            pollWithin(idlePause());
        }
    }

    /** Returns how many events the round published (and deleted or marked). */
    private Uni<Integer> publishAndAcknowledge(SqlConnection connection, RowSet<Row> rows) {
        if (rows.size() == 0) {
            return Uni.createFrom().item(0);
        }
        List<PendingEvent> batch = new ArrayList<>(rows.size());
        rows.forEach(row -> batch.add(PendingEvent.of(row)));
        return publisher.publish(batch).chain(outcome -> acknowledge(connection, outcome.acknowledged())
                .map(done -> {
                    if (outcome.failure() != null) {
                        throw new OutboxPublishException(outcome.acknowledged().size(), batch.size(),
                                outcome.failure());
                    }
                    return batch.size();
                }));
    }

    /**
     * Deletes (or marks) what Kafka acknowledged; rows of other aggregates may go past a failed one, never its own.
     */
    private Uni<Integer> acknowledge(SqlConnection connection, List<Long> positions) {
        if (positions.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return connection.preparedQuery(acknowledge)
                .execute(Tuple.of(positions.toArray(new Long[0])))
                .map(RowSet::rowCount);
    }

    private void roundFailed(Throwable failure) {
        metrics.countError(ErrorType.OUTBOX);
        backoffMs = backoffMs == 0 ? MIN_BACKOFF_MS : Math.min(backoffMs * 2, config.maxBackoff().toMillis());
        LOG.warnf("Outbox relay round failed, retrying in %d ms: %s", backoffMs, failure.getMessage());
        draining.set(false);
        cancelPoll();
        // Events committed or announced on this replica during the failed round bring the retry forward to the poll
        // interval, as later ones do (nudge, expectCommit): the interval still bounds the retries while Kafka is away.
        boolean newEvents = drainRequested
                || commitExpectedAt - (lastRoundStart - TimeUnit.MILLISECONDS.toNanos(pollMs)) > 0;
        pollWithin(newEvents ? Math.min(backoffMs, pollMs) : backoffMs);
    }

    // ------------------------------------------------------------------------------------------ the poll timer

    /** The pause before the next poll when the last rounds found nothing: doubling up to the idle interval. */
    private long idlePause() {
        int doublings = emptyRounds;
        return doublings == 0 ? pollMs : Math.min(idlePollMs, pollMs << doublings);
    }

    /** What is left of the poll interval since the last round started (0 when it is over). */
    private long sinceLastRound() {
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastRoundStart);
        return Math.max(0, pollMs - elapsedMs);
    }

    /** Makes sure a round starts within {@code delayMs}; a poll already due sooner stays as it is. */
    private void pollWithin(long delayMs) {
        long due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs);
        synchronized (pollLock) {
            if (stopped) {
                return;
            }
            if (pollTimer != -1) {
                if (pollDue - due <= 0) {
                    return;
                }
                vertx.cancelTimer(pollTimer);
            }
            pollDue = due;
            // Vert.x timers take at least 1 ms.
            pollTimer = vertx.setTimer(Math.max(1, delayMs), this::pollTimerFired);
        }
    }

    private void pollTimerFired(long timer) {
        synchronized (pollLock) {
            if (pollTimer != timer) {
                return; // replaced by a sooner one while it fired
            }
            pollTimer = -1;
        }
        startRound();
    }

    private void cancelPoll() {
        synchronized (pollLock) {
            if (pollTimer != -1) {
                vertx.cancelTimer(pollTimer);
                pollTimer = -1;
            }
        }
    }

    /**
     * Deletes rows marked sent longer ago than the sent retention. With a retention of 0 no row is marked any more,
     * but rows marked under an earlier, longer retention still go (the scan is of a partial index of marked rows only,
     * so it costs next to nothing when there are none).
     */
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
