package io.nexus.session.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.nexus.common.background.PeriodicTask;
import io.nexus.common.outbox.OutboxWriter;
import io.nexus.events.session.SessionUpdated;
import io.nexus.session.config.SessionConfig;
import io.nexus.session.domain.Session;
import io.nexus.session.domain.WrittenSession;
import io.nexus.session.repository.SessionRepository;
import io.nexus.session.repository.SessionStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Writes the live state of used sessions to PostgreSQL behind Redis, every {@code nexus.session.flush-interval}, so
 * that a use costs no PostgreSQL round trip and a session Redis loses can be restored with at most that interval of
 * changes missing. Every use (here or at the gateway) adds the session to a set in Redis; each replica takes ids from
 * it (SPOP: each id goes to one replica), reads them and writes them in one statement, with a
 * {@code nexus.session.updated} event for each session whose channels or data changed. A write that fails puts its
 * ids back.
 */
@ApplicationScoped
public class SessionWriteBehind {

    private static final Logger LOG = Logger.getLogger(SessionWriteBehind.class);

    private final Pool pool;
    private final SessionStore store;
    private final SessionRepository sessions;
    private final OutboxWriter outbox;
    private final SessionConfig config;
    private final Vertx vertx;
    private final PeriodicTask task;

    public SessionWriteBehind(Pool pool, SessionStore store, SessionRepository sessions, OutboxWriter outbox,
            SessionConfig config, Vertx vertx) {
        this.pool = pool;
        this.store = store;
        this.sessions = sessions;
        this.outbox = outbox;
        this.config = config;
        this.vertx = vertx;
        this.task = new PeriodicTask(LOG, "Writing sessions behind Redis", this::flushAll);
    }

    void start(@Observes StartupEvent event) {
        task.start(vertx, config.flushInterval());
    }

    /** Stops the timer and writes what this replica can before it goes (another replica would, a moment later). */
    void stop(@Observes ShutdownEvent event) {
        task.stop(vertx);
        task.runOnce().await().atMost(Duration.ofSeconds(5));
    }

    /** Writes every used session, batch by batch, until the set is empty (or a batch fails). */
    public Uni<Void> flushAll() {
        return flushBatch().chain(written -> written >= config.flushBatch() ? flushAll()
                : Uni.createFrom().voidItem());
    }

    private Uni<Integer> flushBatch() {
        return store.takeUsed(config.flushBatch()).chain(ids -> ids.isEmpty() ? Uni.createFrom().item(0)
                : store.live(ids)
                        .chain(live -> write(new ArrayList<>(live.values())))
                        .replaceWith(ids.size())
                        .onFailure().call(failure -> store.markUsed(ids)));
    }

    private Uni<Void> write(List<Session> live) {
        return pool.withTransaction(tx -> sessions.writeBehind(tx, live).chain(written -> {
            List<SessionUpdated> events = new ArrayList<>();
            for (WrittenSession session : written) {
                if (session.changed()) {
                    events.add(new SessionUpdated(session.id(), session.tenantId(), session.channels(),
                            session.lastActivity(), session.expiresAt()));
                }
            }
            return outbox.append(tx, events);
        }));
    }
}
