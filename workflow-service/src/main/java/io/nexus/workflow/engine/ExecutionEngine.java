package io.nexus.workflow.engine;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

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
import io.nexus.workflow.domain.ExecutionRecord;
import io.nexus.workflow.domain.ExecutionStatus;
import io.nexus.workflow.domain.StepRecord;
import io.nexus.workflow.engine.http.HttpCallSpec;
import io.nexus.workflow.engine.http.SafeHttpClient;
import io.nexus.workflow.metrics.WorkflowMetrics;
import io.nexus.workflow.repository.ExecutionRepository;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Runs executions on this replica: a bounded number at once (its workers), expressions on a small pool off the event
 * loop, and pending executions that no replica holds claimed from PostgreSQL whenever a worker is free.
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
    private final WorkflowMetrics metrics;
    private final ExecutionSlots slots;
    private final EvaluationPool pool;
    private final Map<UUID, ExecutionRun> running = new ConcurrentHashMap<>();
    private final String replicaId = ReplicaId.get();
    private volatile boolean accepting = true;
    private long claimTimer = -1;

    public ExecutionEngine(Vertx vertx, WorkflowConfig config, ExecutionCommits commits,
            ExecutionRepository executions, CompiledWorkflows compiled, WorkflowMetrics metrics, EvaluationPool pool) {
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

    /** Runs an execution this replica holds a worker for; the stage completes after its end was committed. */
    public CompletionStage<ExecutionResult> run(ExecutionRecord execution, CompiledWorkflows.Entry version) {
        ExecutionRun run = new ExecutionRun(execution, version.workflow(), version.graph(), this);
        running.put(execution.id(), run);
        run.start();
        return run.result();
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
    public Uni<Boolean> commitBoundary(ExecutionRecord execution, List<StepRecord> steps, List<EventPayload> events,
            NexusEvent<JsonNode> integrationEvent) {
        return commits.boundary(execution, steps, events, integrationEvent, now());
    }

    @Override
    public Uni<Boolean> commitEnd(ExecutionRecord execution, ExecutionStatus status, JsonNode outputs,
            ExecutionError error, Instant startedAt, Instant finishedAt, List<StepRecord> steps,
            List<EventPayload> events) {
        return commits.end(execution, status, outputs, error, startedAt, finishedAt, steps, events);
    }

    @Override
    public void released(ExecutionRun run, ExecutionResult result) {
        if (running.remove(run.id(), run)) {
            slots.release();
        }
        if (result != null && result.status() != ExecutionStatus.CANCELLED) {
            // Cancels are counted by the request that committed them.
            metrics.executionEnded(result.status().wire(), Channel.parseOrDefault(run.execution().channel()),
                    Duration.ofMillis(result.durationMs()));
        }
    }

    void startClaiming(@Observes StartupEvent event) {
        claimTimer = vertx.setPeriodic(config.claimInterval().toMillis(), id -> claimPending());
    }

    /** Pending executions nobody runs (async starts that found every worker busy, or whose replica stopped). */
    void claimPending() {
        int wanted = 0;
        while (wanted < CLAIM_BATCH && tryAcquireWorker()) {
            wanted++;
        }
        if (wanted == 0) {
            return;
        }
        int taken = wanted;
        executions.claimPending(replicaId, taken).subscribe().with(claimed -> {
            for (int i = claimed.size(); i < taken; i++) {
                slots.release();
            }
            for (ExecutionRecord execution : claimed) {
                compiled.get(execution.workflowVersionId()).subscribe().with(
                        version -> run(execution, version),
                        failure -> {
                            LOG.errorf(failure, "Cannot run claimed execution %s", execution.id());
                            slots.release();
                        });
            }
        }, failure -> {
            for (int i = 0; i < taken; i++) {
                slots.release();
            }
            LOG.warnf("Claiming pending executions failed: %s", failure.getMessage());
        });
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
        if (!running.isEmpty()) {
            LOG.warnf("Shutting down with %d executions still running; another replica re-drives them",
                    running.size());
            running.values().forEach(ExecutionRun::abandon);
        }
        try {
            executions.releaseLeases(replicaId).await().atMost(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.warnf("Could not hand pending executions back: %s", e.getMessage());
        }
    }

    @Inject
    SafeHttpClient httpClient;

    @Override
    public Uni<NodeOutcome> http(HttpCallSpec spec) {
        return HttpNodeCalls.call(httpClient, spec);
    }
}
