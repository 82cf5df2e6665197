package io.nexus.workflow.metrics;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.nexus.workflow.config.WorkflowConfig;
import io.nexus.workflow.repository.ExecutionLeases;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;

/**
 * {@code nexus_workflow_executions_backlog}: executions ready to run that no replica has claimed (what the claim query
 * would take: pending without a live lease, running with an expired one, waiting and due), recounted every
 * {@code nexus.workflow.backlog-interval}. It is what workflow-service scales on besides CPU and memory: a backlog
 * that stays above zero means every replica's workers are busy. Every replica reports the same platform-wide count,
 * so aggregate with {@code max}, not {@code sum}. Registered at start-up with 0; a failed count keeps the last value
 * (the database alerts tell that story) and the next interval tries again.
 */
@ApplicationScoped
public class ExecutionBacklog {

    public static final String NAME = "nexus.workflow.executions.backlog";

    private static final Logger LOG = Logger.getLogger(ExecutionBacklog.class);

    private final ExecutionLeases leases;
    private final MeterRegistry registry;
    private final WorkflowConfig config;
    private final Vertx vertx;
    private final AtomicLong backlog = new AtomicLong();
    /** A count still running when the next is due makes that one skip, so a slow database never piles counts up. */
    private final AtomicBoolean counting = new AtomicBoolean();
    private long timer = -1;

    public ExecutionBacklog(ExecutionLeases leases, MeterRegistry registry, WorkflowConfig config, Vertx vertx) {
        this.leases = leases;
        this.registry = registry;
        this.config = config;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        Gauge.builder(NAME, backlog, AtomicLong::get)
                .description("Executions ready to run that no replica has claimed, platform-wide")
                .register(registry);
        recount();
        timer = vertx.setPeriodic(config.backlogInterval().toMillis(), id -> recount());
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    /** Starts one count on the reactive pool (never blocks the caller); skipped while the previous one runs. */
    void recount() {
        if (!counting.compareAndSet(false, true)) {
            return;
        }
        leases.countUnclaimed()
                .onTermination().invoke(() -> counting.set(false))
                .subscribe().with(backlog::set,
                        failure -> LOG.warnf("Counting the execution backlog failed, retrying at the next interval: %s",
                                failure.getMessage()));
    }
}
