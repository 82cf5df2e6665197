package io.nexus.session.service;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.nexus.common.background.PeriodicTask;
import io.nexus.common.http.Channel;
import io.nexus.session.config.SessionConfig;
import io.nexus.session.metrics.SessionMetrics;
import io.nexus.session.repository.SessionRepository;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Recounts {@code nexus_active_sessions} from the durable record every {@code nexus.session.gauge-interval}. Every
 * replica reports the same platform-wide count (not its own share: sessions belong to no replica), so dashboards
 * aggregate it with {@code max}, not {@code sum}.
 */
@ApplicationScoped
public class ActiveSessionCounts {

    private static final Logger LOG = Logger.getLogger(ActiveSessionCounts.class);

    private final Pool pool;
    private final SessionRepository sessions;
    private final SessionMetrics metrics;
    private final SessionConfig config;
    private final Vertx vertx;
    private final PeriodicTask task;

    public ActiveSessionCounts(Pool pool, SessionRepository sessions, SessionMetrics metrics, SessionConfig config,
            Vertx vertx) {
        this.pool = pool;
        this.sessions = sessions;
        this.metrics = metrics;
        this.config = config;
        this.vertx = vertx;
        this.task = new PeriodicTask(LOG, "Counting active sessions", this::recount);
    }

    void start(@Observes StartupEvent event) {
        task.start(vertx, config.gaugeInterval());
    }

    void stop(@Observes ShutdownEvent event) {
        task.stop(vertx);
    }

    public Uni<Void> recount() {
        return sessions.openByChannel(pool).invoke(this::publish).replaceWithVoid();
    }

    private void publish(Map<String, Long> counts) {
        for (Channel channel : Channel.values()) {
            metrics.activeSessions(channel, counts.getOrDefault(channel.label(), 0L));
        }
    }
}
