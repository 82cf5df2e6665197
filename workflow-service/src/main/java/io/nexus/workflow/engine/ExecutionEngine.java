package io.nexus.workflow.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.nexus.common.http.Channel;
import io.nexus.workflow.catalog.CompiledWorkflows;
import io.nexus.workflow.config.WorkflowConfig;
import io.nexus.workflow.domain.ExecutionMode;
import io.nexus.workflow.domain.ExecutionRecord;
import io.nexus.workflow.domain.ExecutionStatus;
import io.nexus.workflow.domain.StepRecord;
import io.nexus.workflow.metrics.WorkflowMetrics;
import io.nexus.workflow.repository.ExecutionLeases;
import io.nexus.workflow.repository.ExecutionRepository;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * Runs executions on this replica: a bounded number at once (its workers), expressions on a small pool off the event
 * loop. Whenever a worker is free it claims from PostgreSQL what needs a replica: pending executions nobody holds,
 * running ones whose replica's lease ran out (re-driven from their last committed step), and parked ones that are due.
 * It renews the leases of what it runs every third of {@code nexus.workflow.lease-duration}.
 */
@ApplicationScoped
public class ExecutionEngine implements RunListener {

    private static final Logger LOG = Logger.getLogger(ExecutionEngine.class);
    private static final int CLAIM_BATCH = 16;

    private final Vertx vertx;
    private final WorkflowConfig config;
    private final RunServices services;
    private final ExecutionRepository executions;
    private final ExecutionLeases leases;
    private final CompiledWorkflows compiled;
    private final WorkflowMetrics metrics;
    private final ExecutionSlots slots;
    private final Map<UUID, ExecutionRun> running = new ConcurrentHashMap<>();
    /** Children started by runs on this replica, to their parents: a child's end wakes its parent at once. */
    private final Map<UUID, UUID> children = new ConcurrentHashMap<>();
    /** Outcomes sync starts wait for, by execution; kept across a park so that a re-driven run here answers them. */
    private final Map<UUID, CompletableFuture<ExecutionResult>> outcomes = new ConcurrentHashMap<>();
    private final String replicaId;
    private volatile boolean accepting = true;
    private final AtomicBoolean claiming = new AtomicBoolean();
    /** Set when executions may be waiting for a worker here: a freed worker then claims at once, not at the next tick. */
    private volatile boolean backlog;
    private long claimTimer = -1;
    private long renewTimer = -1;

    ExecutionEngine(Vertx vertx, WorkflowConfig config, ReplicaRunServices services, ExecutionRepository executions,
            ExecutionLeases leases, CompiledWorkflows compiled, WorkflowMetrics metrics, ReplicaId replica) {
        this.vertx = vertx;
        this.config = config;
        this.services = services;
        this.executions = executions;
        this.leases = leases;
        this.compiled = compiled;
        this.metrics = metrics;
        this.replicaId = replica.value();
        this.slots = new ExecutionSlots(vertx, config.workers());
    }

    /** The lease owner this replica writes on the executions it runs. */
    public String replicaId() {
        return replicaId;
    }

    public boolean accepting() {
        return accepting;
    }

    /** Takes a worker, waiting at most {@code wait}; false when none freed up (the start answers 429). */
    public CompletionStage<Boolean> acquireWorker(Duration wait) {
        return accepting ? slots.acquire(wait) : CompletableFuture.completedFuture(false);
    }

    public boolean tryAcquireWorker() {
        return accepting && slots.tryAcquire();
    }

    public void releaseWorker() {
        slots.release();
    }

    /**
     * Runs a new execution this replica holds a worker for; the stage completes after its end was committed (and
     * never, if it parks and another replica finishes it: a sync start stops waiting after {@code waitMs}).
     */
    public CompletionStage<ExecutionResult> run(ExecutionRecord execution, CompiledWorkflows.Entry version) {
        return run(execution, version, List.of());
    }

    private CompletionStage<ExecutionResult> run(ExecutionRecord execution, CompiledWorkflows.Entry version,
            List<StepRecord> committedSteps) {
        CompletableFuture<ExecutionResult> outcome = outcomes.computeIfAbsent(execution.id(),
                id -> new CompletableFuture<>());
        ExecutionRun run = new ExecutionRun(execution, version.workflow(), version.graph(), services, this,
                committedSteps, outcome);
        running.put(execution.id(), run);
        run.start();
        return outcome;
    }

    /** A sync start stopped waiting for this execution. */
    public void stopWaiting(UUID executionId, CompletionStage<ExecutionResult> outcome) {
        outcomes.remove(executionId, outcome);
    }

    /** A child of {@code parent} ended: the parent's run looks at it now, here or after a claim. */
    public void childEnded(UUID parent) {
        ExecutionRun run = running.get(parent);
        if (run != null) {
            run.signalled();
        } else {
            wake(parent);
        }
    }

    /** A signal was stored for the execution: if it runs here, its waits look for it now. */
    public void signalled(UUID executionId) {
        ExecutionRun run = running.get(executionId);
        if (run != null) {
            run.signalled();
        }
    }

    /** A cancel was committed: stop the run here if this replica has it. */
    public void cancelled(UUID executionId) {
        ExecutionRun run = running.get(executionId);
        if (run != null) {
            run.cancelled();
        }
    }

    public int runningCount() {
        return running.size();
    }

    @Override
    public void parked(UUID executionId, Instant wakeAt) {
        ExecutionRun run = running.remove(executionId);
        if (run != null) {
            slots.release();
            claimIfBacklog();
        }
        if (run == null || run.execution().mode() != ExecutionMode.SYNC) {
            outcomes.remove(executionId);
        }
        // The periodic claim would find it; waking it from here is quicker. At once too, in case a signal arrived
        // while it parked (the park then set it due now).
        wake(executionId);
        if (wakeAt != null) {
            long delay = Math.max(1, Duration.between(Instant.now(), wakeAt).toMillis());
            vertx.setTimer(delay, id -> wake(executionId));
        }
    }

    /** Re-drives one parked execution here if it is due and a worker is free. */
    private void wake(UUID executionId) {
        if (!tryAcquireWorker()) {
            return;
        }
        leases.claimDue(executionId, replicaId, config.leaseDuration().toMillis()).subscribe().with(execution -> {
            if (execution == null) {
                slots.release();
            } else {
                redrive(execution);
            }
        }, failure -> {
            slots.release();
            LOG.debugf("Waking execution %s failed: %s", executionId, failure.getMessage());
        });
    }

    @Override
    public void released(UUID executionId, ExecutionResult result) {
        ExecutionRun run = running.remove(executionId);
        if (run != null) {
            slots.release();
            claimIfBacklog();
        }
        if (result != null) {
            // Its own children that ended elsewhere (or never will now) need no wake-up here any more.
            children.values().removeIf(executionId::equals);
        }
        UUID parent = children.remove(executionId);
        if (parent != null) {
            // A child started here ended: its parent looks now (the end also made a parked parent due).
            childEnded(parent);
        }
        outcomes.remove(executionId);
        if (run != null && result != null && result.status() != ExecutionStatus.CANCELLED) {
            // Cancels are counted by the request that committed them.
            metrics.executionEnded(result.status().wire(), Channel.parseOrDefault(run.execution().channel()),
                    Duration.ofMillis(result.durationMs()));
        }
    }

    @Override
    public void childStarted(UUID parentId, UUID childId) {
        children.put(childId, parentId);
        backlog = true;
        claim();
    }

    void startClaiming(@Observes StartupEvent event) {
        claimTimer = vertx.setPeriodic(config.claimInterval().toMillis(), id -> claim());
        renewTimer = vertx.setPeriodic(Math.max(1, config.leaseDuration().toMillis() / 3), id -> renewLeases());
    }

    /**
     * Executions that need a replica: async starts that found every worker busy, executions whose replica stopped or
     * died (their lease ran out), and parked ones that are due.
     */
    void claim() {
        if (!claiming.compareAndSet(false, true)) {
            return;
        }
        int wanted = 0;
        while (wanted < CLAIM_BATCH && tryAcquireWorker()) {
            wanted++;
        }
        if (wanted == 0) {
            claiming.set(false);
            return;
        }
        int taken = wanted;
        leases.claim(replicaId, taken, config.leaseDuration().toMillis()).subscribe().with(claimed -> {
            // A full batch: more may be waiting, so the next freed worker looks again at once.
            backlog = claimed.size() == taken;
            claiming.set(false);
            for (int i = claimed.size(); i < taken; i++) {
                slots.release();
            }
            claimed.forEach(this::redrive);
        }, failure -> {
            claiming.set(false);
            for (int i = 0; i < taken; i++) {
                slots.release();
            }
            LOG.warnf("Claiming executions failed: %s", failure.getMessage());
        });
    }

    /** An async start found every worker busy: its execution is pending, for the next worker that frees up. */
    public void pendingWithoutWorker() {
        backlog = true;
    }

    private void claimIfBacklog() {
        if (backlog && accepting) {
            claim();
        }
    }

    /** Runs a claimed execution from its committed steps (none for a pending one); a worker is already taken. */
    private void redrive(ExecutionRecord execution) {
        compiled.get(execution.workflowVersionId())
                .chain(version -> executions.steps(execution.id()).map(steps -> Map.entry(version, steps)))
                .subscribe().with(
                        loaded -> run(execution, loaded.getKey(), loaded.getValue()),
                        failure -> {
                            LOG.errorf(failure, "Cannot run claimed execution %s; its lease will run out and "
                                    + "another claim retries it", execution.id());
                            slots.release();
                        });
    }

    private void renewLeases() {
        if (running.isEmpty()) {
            return;
        }
        leases.renewLeases(replicaId, config.leaseDuration().toMillis()).subscribe().with(
                renewed -> LOG.tracef("Renewed %d leases", renewed),
                failure -> LOG.warnf("Renewing execution leases failed (they run out in %s): %s",
                        config.leaseDuration(), failure.getMessage()));
    }

    /** Stops taking work, lets running executions end within the drain timeout, hands the rest back. */
    void drain(@Observes ShutdownEvent event) {
        accepting = false;
        if (claimTimer >= 0) {
            vertx.cancelTimer(claimTimer);
        }
        long deadline = System.nanoTime() + config.drainTimeout().toNanos();
        while (!running.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (renewTimer >= 0) {
            vertx.cancelTimer(renewTimer);
        }
        if (!running.isEmpty()) {
            LOG.warnf("Shutting down with %d executions still running; another replica re-drives them",
                    running.size());
            running.values().forEach(ExecutionRun::abandon);
        }
        try {
            leases.releaseLeases(replicaId).await().atMost(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.warnf("Could not hand executions back (their leases run out instead): %s", e.getMessage());
        }
    }
}
