package io.nexus.workflow.retention;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.nexus.common.background.PeriodicTask;
import io.nexus.workflow.config.WorkflowConfig;
import io.nexus.workflow.repository.ExecutionHistory;
import io.nexus.workflow.repository.ExecutionHistory.Cursor;
import io.nexus.workflow.repository.ExecutionHistory.DeletedBatch;
import io.nexus.workflow.repository.ExecutionHistory.TenantRetention;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * Deletes ended executions once their tenant's plan no longer keeps them, so that history stops growing with the work
 * done (Temporal keeps a namespace's closed workflows for its retention period the same way).
 *
 * <p>Every replica sweeps every {@code nexus.workflow.retention.interval}: it asks which tenants have expired history,
 * then deletes each one's oldest trees a batch at a time ({@code batch-size} roots, each batch one short transaction,
 * a {@code batch-pause} between batches) until a batch comes back short. Replicas sweeping at once share the work: a
 * batch locks its roots with SKIP LOCKED, so two sweeps never take the same tree and each counts only what it deleted.
 * It runs on the event loop and never blocks it: reactive statements, and a Vert.x timer for the pause.
 */
@ApplicationScoped
public class RetentionSweeper {

    /** {@code nexus_workflow_executions_deleted_total} (docs/api.md §7). */
    public static final String DELETED = "nexus.workflow.executions.deleted";

    private static final Logger LOG = Logger.getLogger(RetentionSweeper.class);

    private final ExecutionHistory history;
    private final WorkflowConfig.Retention config;
    private final RetentionPolicy policy;
    private final Vertx vertx;
    private final Counter deleted;
    private final PeriodicTask task;
    private volatile boolean stopped;

    public RetentionSweeper(ExecutionHistory history, WorkflowConfig config, MeterRegistry registry, Vertx vertx) {
        this.history = history;
        this.config = config.retention();
        this.policy = new RetentionPolicy(this.config);
        this.vertx = vertx;
        this.deleted = Counter.builder(DELETED)
                .description("Ended executions deleted by history retention, child executions included")
                .register(registry);
        this.task = new PeriodicTask(LOG, "Sweeping execution history", this::sweep);
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("Execution history retention is off: every execution is kept");
            return;
        }
        LOG.infof("Execution history retention: ended executions are kept (days by plan) %s; a sweep every %s",
                policy.describe(), config.interval());
        task.start(vertx, config.interval());
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        task.stop(vertx);
    }

    /** A sweep now unless this replica's periodic one is under way (then nothing); never fails. */
    public Uni<Void> runOnce() {
        return task.runOnce();
    }

    /**
     * One whole sweep, whatever else runs: another replica's sweep, or another call of this one, takes other trees.
     * Fails if the database does; what it deleted until then stays deleted and counted.
     */
    public Uni<Sweep> sweep() {
        long started = System.nanoTime();
        return history.dueTenants(policy.plans(), policy.days(), policy.defaultDays())
                .onItem().transformToMulti(tenants -> Multi.createFrom().iterable(tenants))
                .onItem().transformToUniAndConcatenate(this::sweepTenant)
                .collect().asList()
                .map(Sweep::total)
                .invoke(sweep -> {
                    long ms = (System.nanoTime() - started) / 1_000_000;
                    if (sweep.executions() > 0) {
                        LOG.infof("Retention deleted %d executions (%d root executions with their children) of "
                                + "%d tenant(s) in %d batch(es), %d ms", sweep.executions(), sweep.roots(),
                                sweep.tenants(), sweep.batches(), ms);
                    } else if (sweep.tenants() > 0) {
                        LOG.debugf("Retention found expired executions of %d tenants and deleted none (trees with a "
                                + "live execution, or taken by another replica)", sweep.tenants());
                    }
                });
    }

    /** The tenant's expired trees, oldest first, a batch at a time until a batch comes back short. */
    private Uni<Sweep> sweepTenant(TenantRetention tenant) {
        int batchSize = config.batchSize();
        AtomicReference<Cursor> cursor = new AtomicReference<>(ExecutionHistory.START);
        return Multi.createBy().repeating()
                .uni(() -> history.deleteBatch(tenant, cursor.get(), batchSize)
                        .invoke(batch -> {
                            cursor.set(batch.next());
                            deleted.increment(batch.executions());
                        })
                        .call(batch -> full(batch, batchSize) ? pause() : Uni.createFrom().voidItem()))
                .whilst(batch -> full(batch, batchSize) && !stopped)
                .collect().asList()
                .map(Sweep::of);
    }

    private static boolean full(DeletedBatch batch, int batchSize) {
        return batch.examined() >= batchSize;
    }

    private Uni<Void> pause() {
        long ms = config.batchPause().toMillis();
        if (ms <= 0 || stopped) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().emitter(emitter -> vertx.setTimer(ms, id -> emitter.complete(null)));
    }

    /** What a sweep (or one tenant's part of it) did. */
    public record Sweep(int tenants, int batches, int roots, int executions) {

        static Sweep of(List<DeletedBatch> batches) {
            return new Sweep(1, batches.size(), batches.stream().mapToInt(DeletedBatch::roots).sum(),
                    batches.stream().mapToInt(DeletedBatch::executions).sum());
        }

        static Sweep total(List<Sweep> parts) {
            return new Sweep(parts.size(), parts.stream().mapToInt(Sweep::batches).sum(),
                    parts.stream().mapToInt(Sweep::roots).sum(), parts.stream().mapToInt(Sweep::executions).sum());
        }
    }
}
