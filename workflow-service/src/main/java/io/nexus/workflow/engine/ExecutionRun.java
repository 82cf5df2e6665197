package io.nexus.workflow.engine;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.nexus.common.ids.Ids;
import io.nexus.events.EventPayload;
import io.nexus.events.NexusEvent;
import io.nexus.events.execution.StepCompleted;
import io.nexus.workflow.definition.CompiledWorkflow;
import io.nexus.workflow.definition.NodeDefinition;
import io.nexus.workflow.definition.OnError;
import io.nexus.workflow.definition.StepEvents;
import io.nexus.workflow.domain.ExecutionError;
import io.nexus.workflow.domain.ExecutionRecord;
import io.nexus.workflow.domain.ExecutionStatus;
import io.nexus.workflow.domain.StepRecord;
import io.nexus.workflow.domain.StepStatus;
import io.nexus.workflow.engine.scheduling.DagScheduler;
import io.nexus.workflow.engine.scheduling.WorkflowGraph;
import io.nexus.workflow.expression.CompiledExpression;
import io.nexus.workflow.expression.EvaluationContext;
import io.nexus.workflow.expression.ExpressionFailure;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * One execution while this replica runs it (CONTRACT §5 semantics). Every state change happens in a task of the
 * run's {@link SerialExecutor}, so the state needs no locks and expressions never evaluate on the event loop.
 *
 * <p>Commits: pure nodes ({@code transform}, {@code condition}) are only remembered; they are written together with
 * the next durable boundary — a side-effecting step, a park, or the end. A step that was committed is never run again:
 * a run that re-drives an execution (after its replica died, or when a parked one is due) starts from the committed
 * steps and replays them through the scheduler instead of running their nodes.
 *
 * <p>Waits: {@code delay} and {@code wait} nodes wait without blocking anything. When nothing but waits is left and
 * the earliest is further away than {@code nexus.workflow.in-memory-wait}, the run parks the execution (status
 * waiting, its worker freed) and ends here; a claim re-drives it when it is due or signalled.
 */
final class ExecutionRun {

    private static final Logger LOG = Logger.getLogger(ExecutionRun.class);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final int END_COMMIT_ATTEMPTS = 5;

    private final ExecutionRecord execution;
    private final CompiledWorkflow workflow;
    private final WorkflowGraph graph;
    private final DagScheduler scheduler;
    private final RunServices services;
    private final SerialExecutor serial;
    private final Map<String, NodeDefinition> nodes = new HashMap<>();
    private final Map<String, Integer> positions = new HashMap<>();
    private final Map<String, JsonNode> results = new LinkedHashMap<>();
    private final Map<String, Instant> startedAt = new HashMap<>();
    private final Map<String, Integer> attempts = new HashMap<>();
    private final Map<String, Long> retryTimers = new HashMap<>();
    private final Set<String> decided = new HashSet<>();
    private final Map<String, StepRecord> committed = new HashMap<>();
    private final Map<String, Waiting> waiting = new LinkedHashMap<>();
    private final Set<String> signalTakes = new HashSet<>();
    private final Set<String> lookAgain = new HashSet<>();
    private final Set<String> timedOutWhileTaking = new HashSet<>();
    private final Set<String> childChecks = new HashSet<>();
    private final List<StepRecord> uncommitted = new ArrayList<>();
    private final List<EventPayload> uncommittedEvents = new ArrayList<>();
    private final CompletableFuture<ExecutionResult> result;
    private final Instant runStartedAt;
    private int inFlight;
    /** http calls under way; not in {@link #inFlight}, since a failing execution ends without waiting for them. */
    private int callsInFlight;
    private long deadlineTimer = -1;
    private ExecutionError failure;
    private boolean ending;
    private boolean parking;
    private boolean over;

    /** A delay or wait node that is waiting: until when (null = no timer), for which signal (wait nodes). */
    private record Waiting(Instant due, String signal, long timer, UUID child) {
    }

    /**
     * @param committedSteps the steps an earlier run committed (empty for a new execution)
     * @param result completed with the outcome when the execution ends here (not when it parks)
     */
    ExecutionRun(ExecutionRecord execution, CompiledWorkflow workflow, WorkflowGraph graph, RunServices services,
            List<StepRecord> committedSteps, CompletableFuture<ExecutionResult> result) {
        this.execution = execution;
        this.result = result;
        for (StepRecord step : committedSteps) {
            committed.put(step.node(), step);
        }
        this.workflow = workflow;
        this.graph = graph;
        this.scheduler = new DagScheduler(graph);
        this.services = services;
        this.serial = new SerialExecutor(services.evaluationPool());
        List<NodeDefinition> definitionNodes = workflow.definition().nodes();
        for (int i = 0; i < definitionNodes.size(); i++) {
            nodes.put(definitionNodes.get(i).id(), definitionNodes.get(i));
            positions.put(definitionNodes.get(i).id(), i);
        }
        this.runStartedAt = execution.startedAt() != null ? execution.startedAt() : services.now();
    }

    UUID id() {
        return execution.id();
    }

    ExecutionRecord execution() {
        return execution;
    }

    CompletionStage<ExecutionResult> result() {
        return result;
    }

    void start() {
        long untilDeadline = Duration.between(services.now(), execution.deadlineAt()).toMillis();
        deadlineTimer = services.setTimer(Math.max(1, untilDeadline), () -> serial.execute(this::deadlinePassed));
        serial.execute(this::advance);
    }

    /** Another request cancelled the execution (and committed that): stop without writing anything more. */
    void cancelled() {
        serial.execute(() -> {
            if (over) {
                return;
            }
            endAsCancelled();
        });
    }

    /** Shutdown gave up waiting: leave the execution to whoever claims it next. */
    void abandon() {
        serial.execute(() -> {
            if (!over) {
                stopTimers();
                over = true;
                result.completeExceptionally(new IllegalStateException("this replica stopped before the end"));
                services.released(this, null);
            }
        });
    }

    private void advance() {
        if (ending || over) {
            return;
        }
        for (String node : scheduler.takeReady()) {
            StepRecord earlier = committed.remove(node);
            if (earlier != null) {
                replay(earlier);
            } else {
                startedAt.put(node, services.now());
                attempt(node);
            }
            if (ending || over) {
                return;
            }
        }
        endIfDone();
    }

    /** A step an earlier run committed: take its outcome instead of running the node again. */
    private void replay(StepRecord step) {
        String nodeId = step.node();
        startedAt.put(nodeId, step.startedAt() != null ? step.startedAt() : services.now());
        attempts.put(nodeId, Math.max(1, step.attempts()));
        switch (step.status()) {
            case COMPLETED -> {
                decided.add(nodeId);
                results.put(nodeId, step.output());
                decide(nodeId, false);
            }
            case FAILED -> {
                decided.add(nodeId);
                if (nodes.get(nodeId).onError() == OnError.CONTINUE) {
                    results.put(nodeId, continuedError(step.error()));
                    decide(nodeId, true);
                } else {
                    failExecution(step.error() == null ? new ExecutionError(ExecutionError.FAILED,
                            "node '" + nodeId + "' failed", nodeId) : step.error().atNode(nodeId));
                }
            }
            case WAITING -> resumeWait(nodeId, step.output());
            default -> {
                // Anything else was recorded by a run that did not finish the node: run it again.
                attempt(nodeId);
            }
        }
    }

    private void attempt(String nodeId) {
        NodeDefinition node = nodes.get(nodeId);
        attempts.merge(nodeId, 1, Integer::sum);
        long began = System.nanoTime();
        switch (node.type()) {
            case TRANSFORM -> settle(nodeId, within(node, began, evaluate(nodeId, "expression")));
            case CONDITION -> settle(nodeId, within(node, began, condition(nodeId)));
            case FAIL -> failNode(nodeId);
            case EVENT -> publish(nodeId);
            case DELAY -> startDelay(nodeId);
            case WAIT -> startWait(nodeId);
            case SUBWORKFLOW -> startChild(nodeId);
            case HTTP -> callHttp(nodeId);
            case SESSION -> settle(nodeId, NodeOutcome.failure(ExecutionError.UNAVAILABLE,
                    "session nodes need the session service, which this deployment does not offer yet"));
            default -> settle(nodeId, NodeOutcome.failure(ExecutionError.UNSUPPORTED,
                    "node type '" + node.type().wire() + "' cannot run yet"));
        }
    }

    private NodeOutcome evaluate(String nodeId, String key) {
        CompiledExpression expression = workflow.nodeExpression(nodeId, key);
        if (expression == null) {
            return NodeOutcome.success(JSON.nullNode());
        }
        try {
            return NodeOutcome.success(expression.evaluate(context()));
        } catch (ExpressionFailure e) {
            return NodeOutcome.failure(e.code(), e.getMessage());
        }
    }

    private NodeOutcome condition(String nodeId) {
        try {
            return NodeOutcome.success(BooleanNode.valueOf(
                    workflow.nodeExpression(nodeId, "expression").evaluateBoolean(context())));
        } catch (ExpressionFailure e) {
            return NodeOutcome.failure(e.code(), e.getMessage());
        }
    }

    /** Pure nodes cannot be interrupted mid-evaluation (the cost bound stops them); a slow one still times out. */
    private static NodeOutcome within(NodeDefinition node, long beganNanos, NodeOutcome outcome) {
        if (node.timeoutMs() != null && !outcome.failed()
                && (System.nanoTime() - beganNanos) / 1_000_000 > node.timeoutMs()) {
            return NodeOutcome.failure(ExecutionError.TIMEOUT, "node '" + node.id() + "' took longer than its "
                    + node.timeoutMs() + " ms");
        }
        return outcome;
    }

    /** A fail node fails the execution with code failed, whatever its onError says. */
    private void failNode(String nodeId) {
        NodeOutcome message = evaluate(nodeId, "message");
        if (message.failed()) {
            settle(nodeId, message);
            return;
        }
        String text = message.output().isTextual() ? message.output().textValue() : message.output().toString();
        ExecutionError error = new ExecutionError(ExecutionError.FAILED, text, nodeId);
        recordStep(nodeId, StepStatus.FAILED, null, error);
        failExecution(error);
    }

    /** An event node: its step and the event commit together, so the event exists exactly once. */
    private void publish(String nodeId) {
        NodeOutcome data = evaluate(nodeId, "data");
        if (data.failed()) {
            settle(nodeId, data);
            return;
        }
        String eventId = Ids.newId();
        Instant now = services.now();
        String type = nodes.get(nodeId).config().path("type").asText();
        NexusEvent<JsonNode> event = new NexusEvent<>(eventId, type, URI.create(NexusEvent.SOURCE_PREFIX
                + "workflow-service"), execution.id().toString(), now.atOffset(ZoneOffset.UTC),
                execution.tenantId().toString(), data.output());
        ObjectNode output = JSON.objectNode().put("eventId", eventId);
        commitCompletedStep(nodeId, output, event, "the event");
    }

    /**
     * A side-effecting node completed: its step, the steps decided before it and what they publish (with
     * {@code integrationEvent}, if any) commit as one durable boundary before the run goes on. If the commit fails,
     * the node's attempt fails with {@code unavailable} (so {@code retry} applies) and the earlier steps stay pending.
     */
    private void commitCompletedStep(String nodeId, JsonNode output, NexusEvent<JsonNode> integrationEvent,
            String what) {
        StepRecord step = step(nodeId, StepStatus.COMPLETED, output, null, services.now());
        List<StepRecord> batch = new ArrayList<>(uncommitted);
        batch.add(step);
        int earlierEvents = uncommittedEvents.size();
        List<EventPayload> events = new ArrayList<>(uncommittedEvents);
        stepEvent(step).ifPresent(events::add);
        uncommitted.clear();
        uncommittedEvents.clear();
        inFlight++;
        services.commitBoundary(execution, batch, events, integrationEvent).subscribe().with(
                live -> serial.execute(() -> {
                    inFlight--;
                    if (!live) {
                        endAsCancelled();
                        return;
                    }
                    decided.add(nodeId);
                    results.put(nodeId, output);
                    if (failure != null || ending) {
                        // The execution failed while the step committed: the step stands, nothing new starts.
                        endIfDone();
                        return;
                    }
                    decide(nodeId, false);
                }),
                commitFailure -> serial.execute(() -> {
                    inFlight--;
                    // Only what was pending before this step; the step itself is settled as failed below.
                    uncommitted.addAll(0, batch.subList(0, batch.size() - 1));
                    uncommittedEvents.addAll(0, events.subList(0, earlierEvents));
                    LOG.warnf("Execution %s could not commit node %s: %s", execution.id(), nodeId,
                            commitFailure.getMessage());
                    settle(nodeId, NodeOutcome.failure(ExecutionError.UNAVAILABLE,
                            what + " could not be recorded: the database did not answer"));
                }));
    }

    /** A delay node: due after {@code durationMs}, or at the CEL timestamp {@code until}. */
    private void startDelay(String nodeId) {
        JsonNode config = nodes.get(nodeId).config();
        Instant due;
        if (config.has("durationMs")) {
            due = services.now().plusMillis(config.get("durationMs").asLong());
        } else {
            NodeOutcome until = evaluate(nodeId, "until");
            if (until.failed()) {
                settle(nodeId, until);
                return;
            }
            try {
                due = Instant.parse(until.output().asText());
            } catch (java.time.format.DateTimeParseException e) {
                settle(nodeId, NodeOutcome.failure(ExecutionError.EXPRESSION, "until: not a timestamp: "
                        + until.output()));
                return;
            }
        }
        waitFor(nodeId, due, null);
    }

    /** A wait node: takes a stored signal of its name if there is one, otherwise waits for one until its timeout. */
    private void startWait(String nodeId) {
        JsonNode config = nodes.get(nodeId).config();
        Instant due = config.has("timeoutMs") ? services.now().plusMillis(config.get("timeoutMs").asLong()) : null;
        waitFor(nodeId, due, config.get("signal").asText());
        trySignal(nodeId);
    }

    /** A node an earlier run parked on: wait again for what is left of it. */
    private void resumeWait(String nodeId, JsonNode parked) {
        NodeDefinition node = nodes.get(nodeId);
        String dueText = parked == null ? null : parked.path("dueAt").asText(null);
        Instant due = dueText == null ? null : Instant.parse(dueText);
        if (node.type() == io.nexus.workflow.definition.NodeType.WAIT) {
            waitFor(nodeId, due, node.config().get("signal").asText());
            trySignal(nodeId);
        } else if (node.type() == io.nexus.workflow.definition.NodeType.SUBWORKFLOW) {
            String child = parked == null ? null : parked.path("childExecutionId").asText(null);
            if (child == null) {
                attempt(nodeId);
            } else {
                waitForChild(nodeId, UUID.fromString(child));
            }
        } else if (due == null) {
            attempt(nodeId);
        } else {
            waitFor(nodeId, due, null);
        }
    }

    private void waitFor(String nodeId, Instant due, String signal) {
        long timer = -1;
        if (due != null) {
            long delay = Math.max(1, Duration.between(services.now(), due).toMillis());
            timer = services.setTimer(delay, () -> serial.execute(() -> waitIsDue(nodeId)));
        }
        waiting.put(nodeId, new Waiting(due, signal, timer, null));
    }

    /** A delay fires; a wait times out (unless its signal is being taken right now: that decides). */
    private void waitIsDue(String nodeId) {
        Waiting wait = waiting.get(nodeId);
        if (wait == null || ending || over || parking) {
            // Parking: the execution's wake time is at most this timer's, so the re-driven run handles it.
            return;
        }
        if (wait.signal() != null && signalTakes.contains(nodeId)) {
            timedOutWhileTaking.add(nodeId);
            return;
        }
        waiting.remove(nodeId);
        if (wait.signal() == null) {
            settle(nodeId, NodeOutcome.success(JSON.objectNode().put("firedAt", services.now().toString())));
        } else {
            settle(nodeId, NodeOutcome.failure(ExecutionError.TIMEOUT, "no signal '" + wait.signal()
                    + "' arrived within " + nodes.get(nodeId).config().path("timeoutMs").asLong() + " ms"));
        }
        endIfDone();
    }

    /** A signal was stored for this execution while it runs here: waits of that name look again. */
    void signalled() {
        serial.execute(() -> {
            if (ending || over || parking) {
                // Parking: the signal marked the row, so the park wakes the execution at once.
                return;
            }
            for (Map.Entry<String, Waiting> wait : List.copyOf(waiting.entrySet())) {
                if (wait.getValue().signal() != null) {
                    trySignal(wait.getKey());
                } else if (wait.getValue().child() != null) {
                    checkChild(wait.getKey());
                }
            }
        });
    }

    /** Takes a stored signal for a wait node, committing the node with it; stays waiting when there is none. */
    private void trySignal(String nodeId) {
        if (!signalTakes.add(nodeId)) {
            lookAgain.add(nodeId);
            return;
        }
        Waiting wait = waiting.get(nodeId);
        List<StepRecord> before = new ArrayList<>(uncommitted);
        List<EventPayload> events = new ArrayList<>(uncommittedEvents);
        uncommitted.clear();
        uncommittedEvents.clear();
        inFlight++;
        Instant now = services.now();
        services.takeSignal(execution, nodeId, wait.signal(), before,
                payload -> step(nodeId, StepStatus.COMPLETED, payload, null, now),
                step -> {
                    List<EventPayload> all = new ArrayList<>(events);
                    stepEvent(step).ifPresent(all::add);
                    return all;
                }).subscribe().with(
                        taken -> serial.execute(() -> signalTaken(nodeId, taken, before, events)),
                        failure -> serial.execute(() -> {
                            LOG.warnf("Execution %s could not look for signal '%s': %s", execution.id(),
                                    wait.signal(), failure.getMessage());
                            signalTaken(nodeId, java.util.Optional.empty(), before, events);
                        }));
    }

    private void signalTaken(String nodeId, java.util.Optional<JsonNode> taken, List<StepRecord> before,
            List<EventPayload> events) {
        inFlight--;
        signalTakes.remove(nodeId);
        boolean timedOut = timedOutWhileTaking.remove(nodeId);
        if (taken == null) {
            // No longer live: cancelled elsewhere, or another replica holds it now.
            endAsCancelled();
            return;
        }
        if (taken.isPresent()) {
            Waiting wait = waiting.remove(nodeId);
            if (wait != null && wait.timer() >= 0) {
                services.cancelTimer(wait.timer());
            }
            decided.add(nodeId);
            results.put(nodeId, taken.get());
            if (failure != null || ending) {
                endIfDone();
                return;
            }
            decide(nodeId, false);
            return;
        }
        uncommitted.addAll(0, before);
        uncommittedEvents.addAll(0, events);
        if (timedOut) {
            waitIsDue(nodeId);
            return;
        }
        if (lookAgain.remove(nodeId) && waiting.containsKey(nodeId)) {
            trySignal(nodeId);
            return;
        }
        endIfDone();
    }

    /** CONTRACT §5: children nest at most this deep below their root. */
    static final int MAX_DEPTH = 5;

    /**
     * A subworkflow node: checks the nesting and recursion rules and the child's inputs, then starts the child (in
     * the transaction that records this node waiting for it) and waits for its end.
     */
    private void startChild(String nodeId) {
        JsonNode config = nodes.get(nodeId).config();
        String childWorkflow = config.get("workflow").asText();
        Integer childVersion = config.has("version") ? config.get("version").asInt() : null;
        NodeOutcome inputs = evaluate(nodeId, "inputs");
        if (inputs.failed()) {
            settle(nodeId, inputs);
            return;
        }
        JsonNode childInputs = inputs.output().isNull() ? JSON.objectNode() : inputs.output();
        inFlight++;
        services.planChild(execution, childWorkflow, childVersion).subscribe().with(
                plan -> serial.execute(() -> {
                    inFlight--;
                    if (ending || over) {
                        return;
                    }
                    NodeOutcome refusal = refuseChild(plan, childWorkflow, childVersion, childInputs);
                    if (refusal != null) {
                        settle(nodeId, refusal);
                        endIfDone();
                        return;
                    }
                    launchChild(nodeId, plan, childInputs);
                }),
                failure -> serial.execute(() -> {
                    inFlight--;
                    settle(nodeId, NodeOutcome.failure(ExecutionError.UNAVAILABLE,
                            "the child workflow could not be looked up: " + failure.getMessage()));
                    endIfDone();
                }));
    }

    private NodeOutcome refuseChild(ChildPlan plan, String childWorkflow, Integer childVersion, JsonNode inputs) {
        if (plan.parent().depth() + 1 > MAX_DEPTH) {
            return NodeOutcome.failure(ExecutionError.LIMIT, "sub-workflows nest at most " + MAX_DEPTH
                    + " deep; this execution is at depth " + plan.parent().depth());
        }
        if (childWorkflow.equals(execution.workflow()) || plan.parent().workflows().contains(childWorkflow)) {
            List<String> chain = new ArrayList<>(plan.parent().workflows());
            chain.add(execution.workflow());
            return NodeOutcome.failure(ExecutionError.RECURSION, "workflow '" + childWorkflow
                    + "' is already in this execution's chain " + chain);
        }
        if (plan.version() == null) {
            return NodeOutcome.failure(ExecutionError.NOT_FOUND, "the tenant has no workflow '" + childWorkflow + "'"
                    + (childVersion == null ? "" : " with version " + childVersion));
        }
        List<io.nexus.common.problem.FieldError> errors = plan.compiled().workflow().validateInputs(inputs);
        if (!errors.isEmpty()) {
            StringBuilder message = new StringBuilder("the inputs do not match workflow '" + childWorkflow + "':");
            errors.forEach(error -> message.append(' ').append(error.field()).append(' ').append(error.message())
                    .append(';'));
            return NodeOutcome.failure(ExecutionError.INVALID_INPUTS, message.toString());
        }
        return null;
    }

    private void launchChild(String nodeId, ChildPlan plan, JsonNode inputs) {
        Instant now = services.now();
        Long childTimeout = plan.compiled().workflow().definition().timeoutMs();
        Instant deadline = childTimeout == null ? execution.deadlineAt()
                : java.util.Collections.min(List.of(execution.deadlineAt(), now.plusMillis(childTimeout)));
        UUID childId = io.nexus.common.ids.Ids.newUuid();
        ExecutionRecord child = new ExecutionRecord(childId, execution.tenantId(), plan.version() == null ? null
                : nodes.get(nodeId).config().get("workflow").asText(), plan.version().versionId(),
                plan.version().version(), ExecutionStatus.PENDING, io.nexus.workflow.domain.ExecutionMode.ASYNC,
                execution.channel(), execution.sessionId(), inputs, null, null, deadline, now, null, null);
        ObjectNode parked = JSON.objectNode().put("childExecutionId", childId.toString());
        List<StepRecord> steps = new ArrayList<>(uncommitted);
        steps.add(new StepRecord(nodeId, positions.get(nodeId), StepStatus.WAITING, attempts.getOrDefault(nodeId, 1),
                startedAt.get(nodeId), null, parked, null));
        List<EventPayload> events = new ArrayList<>(uncommittedEvents);
        events.add(new io.nexus.events.execution.ExecutionStarted(childId.toString(),
                execution.tenantId().toString(), child.workflow(), child.version(), child.channel(),
                child.sessionId(), execution.id().toString(), now));
        List<StepRecord> before = List.copyOf(uncommitted);
        List<EventPayload> eventsBefore = List.copyOf(uncommittedEvents);
        uncommitted.clear();
        uncommittedEvents.clear();
        inFlight++;
        services.startChild(execution, nodeId, child, plan.parent(), steps, events).subscribe().with(
                live -> serial.execute(() -> {
                    inFlight--;
                    if (!live) {
                        endAsCancelled();
                        return;
                    }
                    if (ending || failure != null) {
                        endIfDone();
                        return;
                    }
                    waitForChild(nodeId, childId);
                }),
                failed -> serial.execute(() -> {
                    inFlight--;
                    uncommitted.addAll(0, before);
                    uncommittedEvents.addAll(0, eventsBefore);
                    settle(nodeId, NodeOutcome.failure(ExecutionError.UNAVAILABLE,
                            "the child execution could not be started: the database did not answer"));
                    endIfDone();
                }));
    }

    private void waitForChild(String nodeId, UUID childId) {
        waiting.put(nodeId, new Waiting(null, null, -1, childId));
        checkChild(nodeId);
    }

    /** Looks at the child a subworkflow node waits for; its end ends the node with its outputs or its error. */
    private void checkChild(String nodeId) {
        Waiting wait = waiting.get(nodeId);
        if (wait == null || wait.child() == null || !childChecks.add(nodeId)) {
            return;
        }
        inFlight++;
        services.child(wait.child()).subscribe().with(
                child -> serial.execute(() -> childSeen(nodeId, child)),
                failure -> serial.execute(() -> childSeen(nodeId, null)));
    }

    private void childSeen(String nodeId, ExecutionRecord child) {
        inFlight--;
        childChecks.remove(nodeId);
        if (ending || over || child == null || !waiting.containsKey(nodeId)) {
            endIfDone();
            return;
        }
        switch (child.status()) {
            case COMPLETED -> {
                waiting.remove(nodeId);
                settle(nodeId, NodeOutcome.success(child.outputs() == null ? JSON.nullNode() : child.outputs()));
            }
            case FAILED, CANCELLED -> {
                waiting.remove(nodeId);
                ExecutionError error = child.error();
                settle(nodeId, NodeOutcome.failure(ExecutionError.FAILED, "child execution " + child.id() + " "
                        + child.status().wire() + (error == null ? "" : ": " + error.code() + ": "
                        + error.message())));
            }
            default -> {
                // Still running: its end wakes this execution (and, if it runs here, this run at once).
            }
        }
        endIfDone();
    }

    private static ObjectNode continuedError(ExecutionError error) {
        ObjectNode asResult = JSON.objectNode();
        ObjectNode detail = asResult.putObject("error");
        detail.put("code", error == null ? ExecutionError.FAILED : error.code());
        detail.put("message", error == null ? "failed" : error.message());
        return asResult;
    }

    /** An attempt ended: complete, retry, continue past the error, or fail the execution. */
    private void settle(String nodeId, NodeOutcome outcome) {
        if (ending || over) {
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
            results.put(nodeId, outcome.output());
            recordStep(nodeId, StepStatus.COMPLETED, outcome.output(), null);
            decide(nodeId, false);
            return;
        }
        NodeDefinition node = nodes.get(nodeId);
        int attempted = attempts.get(nodeId);
        if (attempted < node.maxAttempts()) {
            inFlight++;
            long timer = services.setTimer(Math.max(1, node.retry().backoffMs()), () -> serial.execute(() -> {
                inFlight--;
                retryTimers.remove(nodeId);
                if (!ending && !over) {
                    attempt(nodeId);
                }
                endIfDone();
            }));
            retryTimers.put(nodeId, timer);
            return;
        }
        if (node.onError() == OnError.CONTINUE) {
            results.put(nodeId, continuedError(outcome.error()));
            recordStep(nodeId, StepStatus.FAILED, null, outcome.error());
            decide(nodeId, true);
            return;
        }
        recordStep(nodeId, StepStatus.FAILED, null, outcome.error());
        failExecution(outcome.error().atNode(nodeId));
    }

    /** Evaluates the node's outgoing edges and lets the scheduler decide what runs or is skipped next. */
    private void decide(String nodeId, boolean failedButContinued) {
        Set<Integer> taken = new HashSet<>();
        EvaluationContext context = context();
        for (int edge : graph.outgoing(nodeId)) {
            CompiledExpression when = workflow.edgeCondition(edge);
            try {
                if (when == null || when.evaluateBoolean(context)) {
                    taken.add(edge);
                }
            } catch (ExpressionFailure e) {
                failExecution(new ExecutionError(e.code(), "edge " + nodeId + " -> "
                        + graph.edge(edge).to() + ": " + e.getMessage(), nodeId));
                return;
            }
        }
        for (String skipped : scheduler.complete(nodeId, taken, failedButContinued)) {
            recordStep(skipped, StepStatus.SKIPPED, null, null);
        }
        advance();
    }

    private void failExecution(ExecutionError error) {
        if (ending || over) {
            return;
        }
        failure = error;
        if (error.node() != null) {
            scheduler.fail(error.node());
        } else {
            scheduler.cancelAll();
        }
        stopTimers();
        endIfDone();
    }

    private void deadlinePassed() {
        deadlineTimer = -1;
        if (ending || over) {
            return;
        }
        failure = new ExecutionError(ExecutionError.TIMEOUT, "the execution passed its deadline "
                + execution.deadlineAt(), null);
        scheduler.cancelAll();
        stopTimers();
        endIfDone();
    }

    private void endIfDone() {
        if (ending || over || inFlight > 0) {
            return;
        }
        if (failure == null && !scheduler.finished()) {
            if (!waiting.isEmpty() && !parking && callsInFlight == 0) {
                // Nothing runs and nothing is ready: only waits are left.
                considerParking();
            }
            return;
        }
        ending = true;
        JsonNode outputs = null;
        ExecutionStatus status = ExecutionStatus.FAILED;
        if (failure == null) {
            NodeOutcome output = output();
            if (output.failed()) {
                failure = output.error();
            } else {
                outputs = output.output();
                status = ExecutionStatus.COMPLETED;
            }
        }
        for (String node : nodes.keySet()) {
            if (!decided.contains(node)) {
                recordStep(node, StepStatus.CANCELLED, null, null);
            }
        }
        commitEnd(status, outputs, failure, services.now(), 1);
    }

    /** Keeps a short wait in memory; parks the execution when the earliest timer is further away than that. */
    private void considerParking() {
        Instant now = services.now();
        Instant earliest = null;
        for (Waiting wait : waiting.values()) {
            if (wait.due() != null && (earliest == null || wait.due().isBefore(earliest))) {
                earliest = wait.due();
            }
        }
        if (earliest != null && Duration.between(now, earliest).compareTo(services.inMemoryWait()) <= 0) {
            return;
        }
        park(earliest, now);
    }

    private void park(Instant wakeAt, Instant now) {
        parking = true;
        List<StepRecord> steps = new ArrayList<>(uncommitted);
        for (Map.Entry<String, Waiting> entry : waiting.entrySet()) {
            String nodeId = entry.getKey();
            ObjectNode parked = JSON.objectNode();
            if (entry.getValue().due() != null) {
                parked.put("dueAt", entry.getValue().due().toString());
            }
            if (entry.getValue().signal() != null) {
                parked.put("signal", entry.getValue().signal());
            }
            if (entry.getValue().child() != null) {
                parked.put("childExecutionId", entry.getValue().child().toString());
            }
            steps.add(new StepRecord(nodeId, positions.get(nodeId), StepStatus.WAITING,
                    attempts.getOrDefault(nodeId, 1), startedAt.get(nodeId), null, parked, null));
        }
        List<EventPayload> events = List.copyOf(uncommittedEvents);
        inFlight++;
        services.commitPark(execution, wakeAt, runStartedAt, steps, events).subscribe().with(
                live -> serial.execute(() -> {
                    inFlight--;
                    parking = false;
                    if (!live) {
                        endAsCancelled();
                        return;
                    }
                    uncommitted.clear();
                    uncommittedEvents.clear();
                    over = true;
                    stopTimers();
                    services.parked(this, wakeAt);
                }),
                failed -> serial.execute(() -> {
                    inFlight--;
                    parking = false;
                    LOG.warnf("Execution %s could not park; waiting in memory for now: %s", execution.id(),
                            failed.getMessage());
                    // Try again later; the waits' own timers keep running meanwhile.
                    services.setTimer(1000, () -> serial.execute(this::endIfDone));
                    endIfDoneUnlessWaiting();
                }));
    }

    /** After a failed park: end if the execution failed meanwhile; otherwise the retry timer parks it later. */
    private void endIfDoneUnlessWaiting() {
        if (failure != null) {
            endIfDone();
        }
    }

    private NodeOutcome output() {
        CompiledExpression expression = workflow.output();
        if (expression != null) {
            try {
                return NodeOutcome.success(expression.evaluate(context()));
            } catch (ExpressionFailure e) {
                return NodeOutcome.failure(e.code(), "output: " + e.getMessage());
            }
        }
        ObjectNode leaves = JSON.objectNode();
        for (String leaf : scheduler.completedLeaves()) {
            leaves.set(leaf, results.get(leaf));
        }
        return NodeOutcome.success(leaves);
    }

    private void commitEnd(ExecutionStatus status, JsonNode outputs, ExecutionError error, Instant finishedAt,
            int attempt) {
        List<StepRecord> steps = List.copyOf(uncommitted);
        List<EventPayload> events = List.copyOf(uncommittedEvents);
        services.commitEnd(execution, status, outputs, error, runStartedAt, finishedAt, steps, events)
                .subscribe().with(
                        ended -> serial.execute(() -> finish(ended
                                ? new ExecutionResult(execution.id(), status, outputs, error,
                                        Duration.between(runStartedAt, finishedAt).toMillis())
                                : cancelledResult())),
                        failure -> serial.execute(() -> {
                            if (attempt >= END_COMMIT_ATTEMPTS) {
                                LOG.errorf("Execution %s could not record its end after %d attempts: %s; leaving it "
                                        + "to be re-driven", execution.id(), attempt, failure.getMessage());
                                over = true;
                                stopTimers();
                                result.completeExceptionally(failure);
                                services.released(this, null);
                                return;
                            }
                            services.setTimer(100L << attempt, () -> serial.execute(
                                    () -> commitEnd(status, outputs, error, finishedAt, attempt + 1)));
                        }));
    }

    /** Cancelled (or ended, or taken over) elsewhere: nothing was written, nothing more will be. */
    private void endAsCancelled() {
        stopTimers();
        finish(cancelledResult());
    }

    private ExecutionResult cancelledResult() {
        return new ExecutionResult(execution.id(), ExecutionStatus.CANCELLED, null,
                new ExecutionError(ExecutionError.CANCELLED, "the execution was cancelled", null), durationMs());
    }

    private void finish(ExecutionResult outcome) {
        if (over) {
            return;
        }
        over = true;
        stopTimers();
        result.complete(outcome);
        services.released(this, outcome);
    }

    private void stopTimers() {
        for (long timer : retryTimers.values()) {
            services.cancelTimer(timer);
            inFlight--;
        }
        retryTimers.clear();
        for (Waiting wait : waiting.values()) {
            if (wait.timer() >= 0) {
                services.cancelTimer(wait.timer());
            }
        }
        waiting.clear();
        if (deadlineTimer >= 0 && (ending || over || failure != null)) {
            services.cancelTimer(deadlineTimer);
            deadlineTimer = -1;
        }
    }

    private void recordStep(String nodeId, StepStatus status, JsonNode output, ExecutionError error) {
        if (!decided.add(nodeId)) {
            return;
        }
        StepRecord step = step(nodeId, status, output, error, services.now());
        uncommitted.add(step);
        stepEvent(step).ifPresent(uncommittedEvents::add);
    }

    private StepRecord step(String nodeId, StepStatus status, JsonNode output, ExecutionError error, Instant now) {
        Instant began = startedAt.get(nodeId);
        boolean ran = status == StepStatus.COMPLETED || status == StepStatus.FAILED;
        return new StepRecord(nodeId, positions.get(nodeId), status, attempts.getOrDefault(nodeId, 0),
                began, ran || began != null ? now : null, output, error);
    }

    private java.util.Optional<EventPayload> stepEvent(StepRecord step) {
        if (workflow.definition().events() != StepEvents.STEPS
                || (step.status() != StepStatus.COMPLETED && step.status() != StepStatus.FAILED)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new StepCompleted(execution.id().toString(), execution.tenantId().toString(),
                execution.workflow(), execution.version(), step.node(), step.status().wire(), step.attempts(),
                step.finishedAt()));
    }

    private EvaluationContext context() {
        return new EvaluationContext(execution.inputs(), results, null);
    }

    private long durationMs() {
        return Duration.between(runStartedAt, services.now()).toMillis();
    }

    /**
     * An http node ({@link HttpNodeCalls}). Its request is evaluated here, off the event loop, and the call runs on
     * Vert.x. A successful call commits its step at once as a durable boundary, so a committed call is never made
     * again; a failed attempt settles like any other (retry, onError). The call is not counted in {@code inFlight}:
     * an execution that fails, passes its deadline or is cancelled ends without waiting for it, ignores a late
     * answer, and resets the request once the run is over.
     */
    private void callHttp(String nodeId) {
        HttpNodeCalls.Request request = HttpNodeCalls.request(workflow, nodes.get(nodeId), context(), execution.id());
        if (request.failed()) {
            settle(nodeId, request.failure());
            return;
        }
        callsInFlight++;
        Cancellable call = services.http(request.spec()).subscribe().with(outcome -> serial.execute(() -> {
            callsInFlight--;
            if (ending || over) {
                // The end has recorded the node as cancelled already.
                return;
            }
            if (failure != null || outcome.failed()) {
                // Failing already, the call's step is written with the end (settle records it, retries nothing).
                settle(nodeId, outcome);
                return;
            }
            commitCompletedStep(nodeId, outcome.output(), null, "the call's result");
        }));
        result.whenComplete((ended, error) -> call.cancel());
    }
}
