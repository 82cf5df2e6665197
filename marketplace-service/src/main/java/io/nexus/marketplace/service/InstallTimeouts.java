package io.nexus.marketplace.service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.nexus.common.background.PeriodicTask;
import io.nexus.marketplace.config.MarketplaceConfig;
import io.nexus.marketplace.domain.Install;
import io.nexus.marketplace.repository.InstallRepository;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Ends installs that workflow-service never answered (its consumer parked the event on a dead-letter topic, or the
 * answer was lost): every {@code nexus.marketplace.installs.check-interval}, installs pending longer than
 * {@code nexus.marketplace.installs.timeout} become failed with a reason that says to ask again. Without this a
 * client polling {@code GET /installs/{id}} would wait forever. A late answer finds the install settled and changes
 * nothing; asking again completes at once if workflow-service did create the workflow (same item version, same
 * name).
 */
@ApplicationScoped
public class InstallTimeouts {

    private static final Logger LOG = Logger.getLogger(InstallTimeouts.class);
    /** Installs failed per statement; a larger backlog is worked off over the following checks. */
    static final int BATCH = 500;

    private final Pool pool;
    private final InstallRepository installs;
    private final MarketplaceConfig.Installs config;
    private final Vertx vertx;
    private final PeriodicTask task;

    public InstallTimeouts(Pool pool, InstallRepository installs, MarketplaceConfig config, Vertx vertx) {
        this.pool = pool;
        this.installs = installs;
        this.config = config.installs();
        this.vertx = vertx;
        this.task = new PeriodicTask(LOG, "Failing installs past their timeout", this::failOverdue);
    }

    void start(@Observes StartupEvent event) {
        task.start(vertx, config.checkInterval());
    }

    void stop(@Observes ShutdownEvent event) {
        task.stop(vertx);
    }

    /** One check now: fails the installs pending for longer than the timeout; returns them. */
    public Uni<List<Install>> failOverdue() {
        Instant now = Clock.now();
        String reason = "workflow-service did not answer within " + spelled(config.timeout()) + "; ask "
                + "again (if the workflow was created meanwhile, the new install completes at once)";
        return installs.failPendingSince(pool, now.minus(config.timeout()), reason, now, BATCH)
                .invoke(failed -> failed.forEach(install -> LOG.warnf(
                        "Install %s of item %s %s into tenant %s as '%s' timed out: no answer from workflow-service",
                        install.id(), install.itemId(), install.version(), install.installer(), install.workflow())));
    }

    private static String spelled(Duration timeout) {
        long seconds = timeout.toSeconds();
        return seconds % 60 == 0 ? seconds / 60 + " minute" + (seconds == 60 ? "" : "s")
                : seconds + " second" + (seconds == 1 ? "" : "s");
    }
}
