package io.nexus.workflow.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;

import io.nexus.workflow.definition.CompiledWorkflow;
import io.nexus.workflow.definition.NodeDefinition;
import io.nexus.workflow.definition.NodeType;
import io.nexus.workflow.definition.OnError;
import io.nexus.workflow.definition.StepEvents;
import io.nexus.workflow.domain.ExecutionError;
import io.nexus.workflow.domain.ExecutionRecord;
import io.nexus.workflow.domain.ExecutionStatus;
import io.nexus.workflow.domain.StepRecord;
import io.nexus.workflow.domain.StepStatus;
import io.nexus.workflow.engine.scheduling.DagScheduler;
import io.nexus.workflow.engine.scheduling.WorkflowGraph;
import io.smallrye.mutiny.Uni;

/**
 * One execution while this replica runs it (docs/api.md §5 semantics): the scheduler's loop. It asks the
 * {@link DagScheduler} what is ready, runs each node's attempt (pure nodes here; waits, children, side effects and
 * session nodes through their parts), settles the outcome (complete, retry, continue, fail), decides the node's
 * edges, and ends when nothing is left. An attempt, edges or an output whose expressions read {@code session} first
 * wait for {@link RunSession} to know it. Every state change happens in a task of the run's {@link SerialExecutor},
 * so the state needs no locks and expressions never evaluate on the event loop.
 *
 * <p>Commits: pure nodes ({@code transform}, {@code condition}) are only remembered ({@link PendingWrites}); they are
 * written together with the next durable boundary — a side-effecting step, a park, or the end. A step that was
 * committed is never run again: a run that re-drives an execution (after its replica died, or when a parked one is
 * due) starts from the committed steps and replays them through the scheduler instead of running their nodes.
 */
final class ExecutionRun implements RunCallbacks {

    /** The longest a {@code Retry-After} may delay the next attempt: the cap of {@code retry.backoffMs}. */
    static final long MAX_RETRY_AFTER_MS = 60_000;

    private final ExecutionRecord execution;
    private final WorkflowGraph graph;
    private final DagScheduler scheduler;
    private final RunServices services;
    private final SerialExecutor serial;
    private final NodeProgress progress;
    private final RunExpressions expressions;
    private final PendingWrites pending;
    private final RunWaits waits;
    private final RunChildren children;
    private final SideEffectNodes sideEffects;
    private final RunSession session;
    private final RunEnding ending;
    private final CompletableFuture<ExecutionResult> result;
    /** Steps an earlier run committed, replayed instead of run when the scheduler reaches them. */
    private final Map<String, StepRecord> committed = new HashMap<>();
    /** Nodes waiting for their next attempt, with the timer that starts it. */
    private final Map<String, Long> retries = new HashMap<>();
    /** Commits and reads under way ({@link #await}): the run does not end before they answer. */
    private int inFlight;
    private long deadlineTimer = -1;
    /** Why the execution fails, once it does: nothing new starts, what runs finishes, then it ends. */
    private ExecutionError failure;

    /**
     * @param committedSteps the steps an earlier run committed (empty for a new execution)
     * @param result completed with the outcome when the execution ends here (not when it parks)
     */
    ExecutionRun(ExecutionRecord execution, CompiledWorkflow workflow, WorkflowGraph graph, RunServices services,
            RunListener listener, List<StepRecord> committedSteps, CompletableFuture<ExecutionResult> result) {
        this.execution = execution;
        this.graph = graph;
        this.scheduler = new DagScheduler(graph);
        this.services = services;
        this.result = result;
        this.serial = new SerialExecutor(services.evaluationPool());
        committedSteps.forEach(step -> committed.put(step.node(), step));
        Instant runStartedAt = execution.startedAt() != null ? execution.startedAt() : services.now();
        this.progress = new NodeProgress(workflow.definition().nodes());
        this.expressions = new RunExpressions(workflow, execution.inputs(), progress);
        this.pending = new PendingWrites(execution, workflow.definition().events() == StepEvents.STEPS);
        this.waits = new RunWaits(execution, this, services, expressions, progress, pending);
        this.children = new RunChildren(execution, this, services, listener, expressions, progress, pending);
        this.sideEffects = new SideEffectNodes(execution, workflow, this, services, expressions, progress, pending,
                result);
        this.session = new RunSession(execution, this, services, expressions, progress, sideEffects);
        this.ending = new RunEnding(execution, this, services, listener, pending, result, runStartedAt,
                this::stopWork);
    }

    ExecutionRecord execution() {
        return execution;
    }

    void start() {
        long untilDeadline = Duration.between(services.now(), execution.deadlineAt()).toMillis();
        deadlineTimer = schedule(Math.max(1, untilDeadline), this::deadlinePassed);
        serial.execute(this::advance);
    }

    /** Another request cancelled the execution (and committed that): stop without writing anything more. */
    void cancelled() {
        serial.execute(() -> {
            if (ending.phase() != RunPhase.OVER) {
                ending.cancelled();
            }
        });
    }

    /** Shutdown gave up waiting: leave the execution to whoever claims it next. */
    void abandon() {
        serial.execute(ending::abandon);
    }

    /** A signal was stored for the execution, or one of its children ended: waits and children look again. */
    void signalled() {
        serial.execute(() -> {
            if (ending.phase() != RunPhase.RUNNING) {
                // Parking: the signal marked the row, so the park wakes the execution at once.
                return;
            }
            waits.lookForSignals();
            children.checkAll();
        });
    }

    // ---------------------------------------------------------------------------------------- the scheduler's loop

    /** Starts (or replays) every node the scheduler has ready, then ends if nothing is left. */
    private void advance() {
        if (ending.phase() != RunPhase.RUNNING) {
            return;
        }
        for (String node : scheduler.takeReady()) {
            StepRecord earlier = committed.remove(node);
            if (earlier != null) {
                replay(earlier);
            } else {
                progress.started(node, services.now());
                attempt(node);
            }
            if (ending.phase() != RunPhase.RUNNING) {
                return;
            }
        }
        endIfDone();
    }

    /** A step an earlier run committed: take its outcome instead of running the node again. */
    private void replay(StepRecord step) {
        String nodeId = step.node();
        progress.replayed(step, services.now());
        switch (step.status()) {
            case COMPLETED -> {
                progress.decide(nodeId);
                completedWith(nodeId, step.output());
                decide(nodeId, false);
            }
            case FAILED -> {
                progress.decide(nodeId);
                if (progress.node(nodeId).onError() == OnError.CONTINUE) {
                    progress.result(nodeId, NodeOutcome.continued(step.error()));
                    decide(nodeId, true);
                } else {
                    failExecution(step.error() == null ? new ExecutionError(ExecutionError.FAILED,
                            "node '" + nodeId + "' failed", nodeId) : step.error().atNode(nodeId));
                }
            }
            case WAITING -> resume(nodeId, step.output());
            default -> {
                // Anything else was recorded by a run that did not finish the node: run it again.
                attempt(nodeId);
            }
        }
    }

    /** A node an earlier run parked on: wait again for what is left of it. */
    private void resume(String nodeId, JsonNode parked) {
        String dueText = parked == null ? null : parked.path("dueAt").asText(null);
        Instant due = dueText == null ? null : Instant.parse(dueText);
        switch (progress.node(nodeId).type()) {
            case WAIT -> waits.resumeWait(nodeId, due);
            case SUBWORKFLOW -> {
                if (!children.resume(nodeId, parked)) {
                    attempt(nodeId);
                }
            }
            default -> {
                if (due == null) {
                    attempt(nodeId);
                } else {
                    waits.resumeDelay(nodeId, due);
                }
            }
        }
    }

    private void attempt(String nodeId) {
        progress.newAttempt(nodeId);
        if (!session.readable(expressions.nodeReadsSession(nodeId))) {
            session.load(() -> {
                if (stillRunning()) {
                    run(nodeId);
                } else {
                    endIfDone();
                }
            }, unavailable -> settle(nodeId, unavailable));
            return;
        }
        run(nodeId);
    }

    /** The attempt itself, once what its expressions read is known. */
    private void run(String nodeId) {
        NodeDefinition node = progress.node(nodeId);
        switch (node.type()) {
            case TRANSFORM, CONDITION -> settle(nodeId, expressions.pureNode(node));
            case FAIL -> failNode(nodeId);
            case EVENT -> sideEffects.publish(nodeId);
            case HTTP -> sideEffects.call(nodeId);
            case DELAY -> waits.startDelay(nodeId);
            case WAIT -> waits.startWait(nodeId);
            case SUBWORKFLOW -> children.start(nodeId);
            case SESSION -> session.attempt(nodeId);
            default -> settle(nodeId, NodeOutcome.failure(ExecutionError.UNSUPPORTED,
                    "node type '" + node.type().wire() + "' cannot run yet"));
        }
    }

    /** A fail node fails the execution with code failed, whatever its onError says. */
    private void failNode(String nodeId) {
        NodeOutcome message = expressions.evaluate(nodeId, "message");
        if (message.failed()) {
            settle(nodeId, message);
            return;
        }
        String text = message.output().isTextual() ? message.output().textValue() : message.output().toString();
        ExecutionError error = new ExecutionError(ExecutionError.FAILED, text, nodeId);
        recordStep(nodeId, StepStatus.FAILED, null, error);
        failExecution(error);
    }

    @Override
    public void settle(String nodeId, NodeOutcome outcome) {
        RunPhase phase = ending.phase();
        if (phase == RunPhase.ENDING || phase == RunPhase.OVER) {
            return;
        }
        if (failure != null) {
            // The execution is failing: record what this attempt did, start nothing new (no retry either).
            recordStep(nodeId, outcome.failed() ? StepStatus.FAILED : StepStatus.COMPLETED, outcome.output(),
                    outcome.error());
            endIfDone();
            return;
        }
        if (!outcome.failed()) {
            completedWith(nodeId, outcome.output());
            recordStep(nodeId, StepStatus.COMPLETED, outcome.output(), null);
            decide(nodeId, false);
            return;
        }
        NodeDefinition node = progress.node(nodeId);
        if (outcome.retryable() && progress.attempts(nodeId) < node.maxAttempts()) {
            // A receiver's Retry-After may ask for longer than the backoff, never for longer than the backoff's cap.
            long retryAfter = Math.min(outcome.retryAfterMs(), MAX_RETRY_AFTER_MS);
            retryLater(nodeId, Math.max(node.retry().backoffMs(), retryAfter));
            return;
        }
        if (node.onError() == OnError.CONTINUE) {
            progress.result(nodeId, NodeOutcome.continued(outcome.error()));
            recordStep(nodeId, StepStatus.FAILED, null, outcome.error());
            decide(nodeId, true);
            return;
        }
        recordStep(nodeId, StepStatus.FAILED, null, outcome.error());
        failExecution(outcome.error().atNode(nodeId));
    }

    private void retryLater(String nodeId, long backoffMs) {
        retries.put(nodeId, schedule(Math.max(1, backoffMs), () -> {
            retries.remove(nodeId);
            if (ending.phase() != RunPhase.ENDING && ending.phase() != RunPhase.OVER) {
                attempt(nodeId);
            }
            endIfDone();
        }));
    }

    @Override
    public void committed(String nodeId, JsonNode output) {
        progress.decide(nodeId);
        completedWith(nodeId, output);
        if (failure != null || ending.phase() == RunPhase.ENDING) {
            // The execution failed while the step committed: the step stands, nothing new starts.
            endIfDone();
            return;
        }
        decide(nodeId, false);
    }

    /** A node completed: {@code nodes.<id>} reads its output, and so does {@code session} after a session node. */
    private void completedWith(String nodeId, JsonNode output) {
        progress.result(nodeId, output);
        if (progress.node(nodeId).type() == NodeType.SESSION) {
            expressions.sessionIs(output);
        }
    }

    /** Evaluates the node's outgoing edges and lets the scheduler decide what runs or is skipped next. */
    private void decide(String nodeId, boolean failedButContinued) {
        if (!session.readable(expressions.edgesReadSession(nodeId, graph))) {
            session.load(() -> {
                if (stillRunning()) {
                    decide(nodeId, failedButContinued);
                } else {
                    endIfDone();
                }
            }, unavailable -> failExecution(unavailable.error().atNode(nodeId)));
            return;
        }
        RunExpressions.TakenEdges edges = expressions.takenEdges(nodeId, graph);
        if (edges.failure() != null) {
            failExecution(edges.failure());
            return;
        }
        for (String skipped : scheduler.complete(nodeId, edges.taken(), failedButContinued)) {
            recordStep(skipped, StepStatus.SKIPPED, null, null);
        }
        advance();
    }

    private void failExecution(ExecutionError error) {
        RunPhase phase = ending.phase();
        if (phase == RunPhase.ENDING || phase == RunPhase.OVER) {
            return;
        }
        failure = error;
        if (error.node() != null) {
            scheduler.fail(error.node());
        } else {
            scheduler.cancelAll();
        }
        stopWork();
        endIfDone();
    }

    private void deadlinePassed() {
        deadlineTimer = -1;
        RunPhase phase = ending.phase();
        if (phase == RunPhase.ENDING || phase == RunPhase.OVER) {
            return;
        }
        failure = new ExecutionError(ExecutionError.TIMEOUT, "the execution passed its deadline "
                + execution.deadlineAt(), null);
        scheduler.cancelAll();
        stopWork();
        endIfDone();
    }

    // ------------------------------------------------------------------------------------------------- the end

    @Override
    public void endIfDone() {
        if (ending.phase() != RunPhase.RUNNING || inFlight > 0 || !retries.isEmpty()) {
            return;
        }
        if (failure == null && !scheduler.finished()) {
            if ((waits.any() || children.any()) && !sideEffects.callsInFlight()) {
                // Nothing runs and nothing is ready: only waits are left.
                ending.parkUnlessShortWait(waits.earliestDue(), () -> {
                    List<StepRecord> steps = new ArrayList<>(waits.parkedSteps());
                    steps.addAll(children.parkedSteps());
                    return steps;
                });
            }
            return;
        }
        JsonNode outputs = null;
        ExecutionStatus status = ExecutionStatus.FAILED;
        if (failure == null && !session.readable(expressions.outputReadsSession())) {
            session.load(this::endIfDone, unavailable -> {
                if (failure == null) {
                    failure = unavailable.error();
                }
                endIfDone();
            });
            return;
        }
        if (failure == null) {
            NodeOutcome output = expressions.output(scheduler.completedLeaves());
            if (output.failed()) {
                failure = output.error();
            } else {
                outputs = output.output();
                status = ExecutionStatus.COMPLETED;
            }
        }
        for (String node : progress.nodeIds()) {
            if (!progress.isDecided(node)) {
                recordStep(node, StepStatus.CANCELLED, null, null);
            }
        }
        ending.end(status, outputs, failure);
    }

    @Override
    public void fail(ExecutionError error) {
        failExecution(error);
    }

    @Override
    public void endAsCancelled() {
        ending.cancelled();
    }

    /** Nothing more runs: retries, waits, children and (once the run ends or fails) the deadline stop. */
    private void stopWork() {
        retries.values().forEach(services::cancelTimer);
        retries.clear();
        waits.stop();
        children.stop();
        RunPhase phase = ending.phase();
        if (deadlineTimer >= 0 && (phase == RunPhase.ENDING || phase == RunPhase.OVER || failure != null)) {
            services.cancelTimer(deadlineTimer);
            deadlineTimer = -1;
        }
    }

    /** Whether new work may start: the run neither ends nor fails. */
    private boolean stillRunning() {
        return ending.phase() == RunPhase.RUNNING && failure == null;
    }

    // ---------------------------------------------------------------------------------------- for the run's parts

    @Override
    public RunPhase phase() {
        return ending.phase();
    }

    @Override
    public boolean failing() {
        return failure != null;
    }

    @Override
    public <T> void await(Uni<T> work, Consumer<T> then, Consumer<Throwable> failed) {
        inFlight++;
        work.subscribe().with(
                item -> serial.execute(() -> {
                    inFlight--;
                    then.accept(item);
                }),
                error -> serial.execute(() -> {
                    inFlight--;
                    failed.accept(error);
                }));
    }

    @Override
    public void enqueue(Runnable task) {
        serial.execute(task);
    }

    @Override
    public long schedule(long delayMs, Runnable task) {
        return services.setTimer(delayMs, () -> serial.execute(task));
    }

    private void recordStep(String nodeId, StepStatus status, JsonNode output, ExecutionError error) {
        if (progress.decide(nodeId)) {
            pending.add(progress.step(nodeId, status, output, error, services.now()));
        }
    }
}
