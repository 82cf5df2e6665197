package io.nexus.workflow.engine;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.nexus.common.http.Channel;
import io.nexus.events.EventPayload;
import io.nexus.events.NexusEvent;
import io.nexus.workflow.config.WorkflowConfig;
import io.nexus.workflow.domain.ExecutionError;
import io.nexus.workflow.domain.ExecutionMode;
import io.nexus.workflow.domain.ExecutionRecord;
import io.nexus.workflow.domain.ExecutionStatus;
import io.nexus.workflow.domain.StepRecord;
import io.nexus.workflow.engine.http.HttpCallSpec;
import io.nexus.workflow.engine.http.SafeHttpClient;
import io.nexus.workflow.metrics.WorkflowMetrics;
import io.nexus.workflow.repository.ExecutionRepository;
import io.nexus.workflow.repository.WorkflowRepository;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Runs executions on this replica: a bounded number at once (its workers), expressions on a small pool off the event
 * loop. Whenever a worker is free it claims from PostgreSQL what needs a replica: pending executions nobody holds,
 * running ones whose replica's lease ran out (re-driven from their last committed step), and parked ones that are due.
 * It renews the leases of what it runs every third of {@code nexus.workflow.lease-duration}.
 */
@ApplicationScoped
public class ExecutionEngine implements RunServices {

    private static final Logger LOG = Logger.getLogger(ExecutionEngine.class);
    private static final int CLAIM_BATCH = 16;

    private final Vertx vertx;
    private final WorkflowConfig config;
    private final ExecutionCommits commits;
    private final ExecutionRepository executions;
    private final CompiledWorkflows compiled;
    private final WorkflowRepository workflows;
    private final WorkflowMetrics metrics;
    private final ExecutionSlots slots;
    private final EvaluationPool pool;
    private final Map<UUID, ExecutionRun> running = new ConcurrentHashMap<>();
    /** Children started by runs on this replica, to their parents: a child's end wakes its parent at once. */
    private final Map<UUID, UUID> children = new ConcurrentHashMap<>();
    /** Outcomes sync starts wait for, by execution; kept across a park so that a re-driven run here answers them. */
    private final Map<UUID, CompletableFuture<ExecutionResult>> outcomes = new ConcurrentHashMap<>();
    private final String replicaId = ReplicaId.get();
    private volatile boolean accepting = true;
    private final AtomicBoolean claiming = new AtomicBoolean();
    /** Set when executions may be waiting for a worker here: a freed worker then claims at once, not at the next tick. */
    private volatile boolean backlog;
    private long claimTimer = -1;
    private long renewTimer = -1;

    public ExecutionEngine(Vertx vertx, WorkflowConfig config, ExecutionCommits commits,
            ExecutionRepository executions, CompiledWorkflows compiled, WorkflowMetrics metrics, EvaluationPool pool,
            WorkflowRepository workflows) {
        this.workflows = workflows;
        this.vertx = vertx;
        this.config = config;
        this.commits = commits;
        this.executions = executions;
        this.compiled = compiled;
        this.metrics = metrics;
        this.slots = new ExecutionSlots(vertx, config.workers());
        this.pool = pool;
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
        ExecutionRun run = new ExecutionRun(execution, version.workflow(), version.graph(), this, committedSteps,
                outcome);
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
    public Executor evaluationPool() {
        return pool;
    }

    @Override
    public Instant now() {
        // Microseconds: what PostgreSQL keeps, so that a response shows what a later read returns.
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    @Override
    public long setTimer(long delayMs, Runnable action) {
        return vertx.setTimer(delayMs, id -> action.run());
    }

    @Override
    public void cancelTimer(long timerId) {
        vertx.cancelTimer(timerId);
    }

    @Override
    public Duration inMemoryWait() {
        return config.inMemoryWait();
    }

    @Override
    public Uni<Boolean> commitBoundary(ExecutionRecord execution, List<StepRecord> steps, List<EventPayload> events,
            NexusEvent<JsonNode> integrationEvent) {
        return commits.boundary(execution, replicaId, steps, events, integrationEvent, now());
    }

    @Override
    public Uni<Optional<JsonNode>> takeSignal(ExecutionRecord execution, String node, String signal,
            List<StepRecord> before, Function<JsonNode, StepRecord> completedStep,
            Function<StepRecord, List<EventPayload>> eventsWith) {
        return commits.takeSignal(execution, replicaId, node, signal, before, completedStep, eventsWith, now());
    }

    @Override
    public Uni<Boolean> commitPark(ExecutionRecord execution, Instant wakeAt, Instant startedAt,
            List<StepRecord> steps, List<EventPayload> events) {
        return commits.park(execution, replicaId, wakeAt, startedAt, steps, events);
    }

    @Override
    public Uni<ChildPlan> planChild(ExecutionRecord parent, String workflow, Integer version) {
        return executions.lineage(parent.id()).chain(lineage -> workflows
                .findVersionRef(parent.tenantId(), workflow, version)
                .chain(ref -> ref == null ? Uni.createFrom().item(new ChildPlan(lineage, null, null))
                        : compiled.get(ref.versionId()).map(entry -> new ChildPlan(lineage, ref, entry))));
    }

    @Override
    public Uni<Boolean> startChild(ExecutionRecord parent, String node, ExecutionRecord child,
            ExecutionRepository.Lineage lineage, List<StepRecord> steps, List<EventPayload> events) {
        return commits.startChild(parent, replicaId, node, child, lineage, steps, events, now()).invoke(started -> {
            if (started) {
                children.put(child.id(), parent.id());
                backlog = true;
                claim();
            }
        });
    }

    @Override
    public Uni<ExecutionRecord> child(UUID childId) {
        return executions.findById(childId);
    }

    @Override
    public Uni<Boolean> commitEnd(ExecutionRecord execution, ExecutionStatus status, JsonNode outputs,
            ExecutionError error, Instant startedAt, Instant finishedAt, List<StepRecord> steps,
            List<EventPayload> events) {
        return commits.end(execution, replicaId, status, outputs, error, startedAt, finishedAt, steps, events);
    }

    @Override
    public void parked(ExecutionRun run, Instant wakeAt) {
        if (running.remove(run.id(), run)) {
            slots.release();
            claimIfBacklog();
        }
        if (run.execution().mode() != ExecutionMode.SYNC) {
            outcomes.remove(run.id());
        }
        // The periodic claim would find it; waking it from here is quicker. At once too, in case a signal arrived
        // while it parked (the park then set it due now).
        wake(run.id());
        if (wakeAt != null) {
            long delay = Math.max(1, Duration.between(now(), wakeAt).toMillis());
            vertx.setTimer(delay, id -> wake(run.id()));
        }
    }

    /** Re-drives one parked execution here if it is due and a worker is free. */
    private void wake(UUID executionId) {
        if (!tryAcquireWorker()) {
            return;
        }
        executions.claimDue(executionId, replicaId, config.leaseDuration().toMillis()).subscribe().with(execution -> {
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
    public void released(ExecutionRun run, ExecutionResult result) {
        if (running.remove(run.id(), run)) {
            slots.release();
            claimIfBacklog();
        }
        if (result != null) {
            // Its own children that ended elsewhere (or never will now) need no wake-up here any more.
            children.values().removeIf(run.id()::equals);
        }
        UUID parent = children.remove(run.id());
        if (parent != null) {
            // A child started here ended: its parent looks now (the end also made a parked parent due).
            childEnded(parent);
        }
        outcomes.remove(run.id());
        if (result != null && result.status() != ExecutionStatus.CANCELLED) {
            // Cancels are counted by the request that committed them.
            metrics.executionEnded(result.status().wire(), Channel.parseOrDefault(run.execution().channel()),
                    Duration.ofMillis(result.durationMs()));
        }
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
        executions.claim(replicaId, taken, config.leaseDuration().toMillis()).subscribe().with(claimed -> {
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
        executions.renewLeases(replicaId, config.leaseDuration().toMillis()).subscribe().with(
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
            executions.releaseLeases(replicaId).await().atMost(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.warnf("Could not hand executions back (their leases run out instead): %s", e.getMessage());
        }
    }

    @Inject
    SafeHttpClient httpClient;

    @Override
    public Uni<NodeOutcome> http(HttpCallSpec spec) {
        return HttpNodeCalls.call(httpClient, spec);
    }
}
