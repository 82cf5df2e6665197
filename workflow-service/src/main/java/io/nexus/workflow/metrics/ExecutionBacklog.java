package io.nexus.workflow.metrics;

import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.nexus.common.background.PeriodicTask;
import io.nexus.workflow.config.WorkflowConfig;
import io.nexus.workflow.repository.ExecutionLeases;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * {@code nexus_workflow_executions_backlog}: executions ready to run that no replica has claimed (what the claim query
 * would take: pending without a live lease, running with an expired one, waiting and due), recounted every
 * {@code nexus.workflow.backlog-interval} on the reactive pool. It is what workflow-service scales on besides CPU and
 * memory: a backlog that stays above zero means every replica's workers are busy. Every replica reports the same
 * platform-wide count, so aggregate with {@code max}, not {@code sum}. Registered at start-up with 0; a failed count
 * keeps the last value (the database alerts tell that story) and the next interval tries again.
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
    private final PeriodicTask task;

    public ExecutionBacklog(ExecutionLeases leases, MeterRegistry registry, WorkflowConfig config, Vertx vertx) {
        this.leases = leases;
        this.registry = registry;
        this.config = config;
        this.vertx = vertx;
        this.task = new PeriodicTask(LOG, "Counting the execution backlog", this::recount);
    }

    void start(@Observes StartupEvent event) {
        Gauge.builder(NAME, backlog, AtomicLong::get)
                .description("Executions ready to run that no replica has claimed, platform-wide")
                .register(registry);
        // A first count now rather than one interval later; runOnce never fails (it logs and retries later).
        task.runOnce().subscribe().with(ignored -> {
        });
        task.start(vertx, config.backlogInterval());
    }

    void stop(@Observes ShutdownEvent event) {
        task.stop(vertx);
    }

    Uni<Void> recount() {
        return leases.countUnclaimed().invoke(backlog::set).replaceWithVoid();
    }
}
