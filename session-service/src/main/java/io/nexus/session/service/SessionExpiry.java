package io.nexus.session.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.nexus.common.background.PeriodicTask;
import io.nexus.common.outbox.OutboxWriter;
import io.nexus.events.session.SessionExpired;
import io.nexus.session.config.SessionConfig;
import io.nexus.session.domain.EndedSession;
import io.nexus.session.repository.SessionRepository;
import io.nexus.session.repository.SessionStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Ends sessions whose time ran out, whether or not anyone touches them again, and publishes
 * {@code nexus.session.expired} for each: every {@code nexus.session.sweep-interval}, one replica at a time (a
 * transaction-scoped advisory lock; rows locked SKIP LOCKED besides) takes the open records whose expiry is more than
 * the write-behind's lag in the past. Redis has the last word: a session still there was used since its record was
 * written, so its record moves forward instead. Ended sessions are purged after {@code nexus.session.ended-retention}.
 */
@ApplicationScoped
public class SessionExpiry {

    private static final Logger LOG = Logger.getLogger(SessionExpiry.class);
    /** Any constant shared by the replicas: the advisory lock that makes one of them the sweeper. */
    private static final long SWEEP_LOCK = 0x5E55_1011_5E55_1011L;

    private final Pool pool;
    private final SessionStore store;
    private final SessionRepository sessions;
    private final OutboxWriter outbox;
    private final SessionConfig config;
    private final Vertx vertx;
    private final PeriodicTask task;

    public SessionExpiry(Pool pool, SessionStore store, SessionRepository sessions, OutboxWriter outbox,
            SessionConfig config, Vertx vertx) {
        this.pool = pool;
        this.store = store;
        this.sessions = sessions;
        this.outbox = outbox;
        this.config = config;
        this.vertx = vertx;
        this.task = new PeriodicTask(LOG, "Ending expired sessions", this::sweep);
    }

    void start(@Observes StartupEvent event) {
        task.start(vertx, config.sweepInterval());
    }

    void stop(@Observes ShutdownEvent event) {
        task.stop(vertx);
    }

    /** One sweep: ends what has expired, then purges what ended long ago; the number of sessions ended. */
    public Uni<Integer> sweep() {
        Instant now = SessionService.now();
        return pool.withTransaction(tx -> sessions.tryLock(tx, SWEEP_LOCK)
                .chain(leading -> !leading ? Uni.createFrom().item(List.<EndedSession> of())
                        : sessions.expiryCandidates(tx, now.minus(config.expiryGrace()), config.sweepBatch())
                                .chain(candidates -> store.live(candidates).chain(live -> {
                                    List<String> gone = new ArrayList<>();
                                    for (String id : candidates) {
                                        if (!live.containsKey(id)) {
                                            gone.add(id);
                                        }
                                    }
                                    return sessions.extend(tx, new ArrayList<>(live.values()))
                                            .chain(() -> sessions.expire(tx, gone));
                                }))
                                .call(ended -> outbox.append(tx, ended.stream()
                                        .map(session -> new SessionExpired(session.id(), session.tenantId(),
                                                session.endedAt()))
                                        .toList()))))
                .invoke(ended -> {
                    if (!ended.isEmpty()) {
                        LOG.debugf("Ended %d expired sessions", ended.size());
                    }
                })
                .call(() -> sessions.purgeEnded(pool, now.minus(config.endedRetention()), config.sweepBatch()))
                .map(List::size);
    }
}
