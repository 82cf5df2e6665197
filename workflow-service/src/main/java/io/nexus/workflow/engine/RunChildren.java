package io.nexus.workflow.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.nexus.common.ids.Ids;
import io.nexus.common.problem.FieldError;
import io.nexus.events.execution.ExecutionStarted;
import io.nexus.workflow.domain.ExecutionError;
import io.nexus.workflow.domain.ExecutionMode;
import io.nexus.workflow.domain.ExecutionRecord;
import io.nexus.workflow.domain.ExecutionStatus;
import io.nexus.workflow.domain.StepBatch;
import io.nexus.workflow.domain.StepRecord;

/**
 * A run's {@code subworkflow} nodes (docs/api.md §5): each checks the nesting and recursion rules and the child's
 * inputs, starts the child in the transaction that records the node waiting for it, and ends with the child's end —
 * its outputs, or its error. The child runs wherever a worker is free; its end wakes this run.
 */
final class RunChildren {

    /** docs/api.md §5: children nest at most this deep below their root. */
    static final int MAX_DEPTH = 5;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final ExecutionRecord execution;
    private final RunCallbacks run;
    private final RunServices services;
    private final RunListener listener;
    private final RunExpressions expressions;
    private final NodeProgress progress;
    private final PendingWrites pending;
    /** Subworkflow nodes waiting for their child, by node. */
    private final Map<String, UUID> waitingFor = new LinkedHashMap<>();
    /** Nodes whose child is being read right now (one read at a time per node). */
    private final Set<String> checks = new HashSet<>();

    RunChildren(ExecutionRecord execution, RunCallbacks run, RunServices services, RunListener listener,
            RunExpressions expressions, NodeProgress progress, PendingWrites pending) {
        this.execution = execution;
        this.run = run;
        this.services = services;
        this.listener = listener;
        this.expressions = expressions;
        this.progress = progress;
        this.pending = pending;
    }

    /** A subworkflow node's attempt: plans the child, then starts it (or settles the node with why not). */
    void start(String nodeId) {
        JsonNode config = progress.node(nodeId).config();
        String childWorkflow = config.get("workflow").asText();
        Integer childVersion = config.has("version") ? config.get("version").asInt() : null;
        NodeOutcome inputs = expressions.evaluate(nodeId, "inputs");
        if (inputs.failed()) {
            run.settle(nodeId, inputs);
            return;
        }
        JsonNode childInputs = inputs.output().isNull() ? JSON.objectNode() : inputs.output();
        run.await(services.planChild(execution, childWorkflow, childVersion),
                plan -> {
                    if (run.phase() == RunPhase.ENDING || run.phase() == RunPhase.OVER) {
                        return;
                    }
                    NodeOutcome refusal = refusal(plan, childWorkflow, childVersion, childInputs);
                    if (refusal != null) {
                        run.settle(nodeId, refusal);
                        run.endIfDone();
                        return;
                    }
                    launch(nodeId, childWorkflow, plan, childInputs);
                },
                failure -> {
                    run.settle(nodeId, NodeOutcome.failure(ExecutionError.UNAVAILABLE,
                            "the child workflow could not be looked up: " + failure.getMessage()));
                    run.endIfDone();
                });
    }

    /** A subworkflow node an earlier run parked; false when it had not started its child (it runs again). */
    boolean resume(String nodeId, JsonNode parked) {
        String child = parked == null ? null : parked.path("childExecutionId").asText(null);
        if (child == null) {
            return false;
        }
        waitFor(nodeId, UUID.fromString(child));
        return true;
    }

    /** A child may have ended: every waiting node looks at its child. */
    void checkAll() {
        for (String nodeId : List.copyOf(waitingFor.keySet())) {
            check(nodeId);
        }
    }

    boolean any() {
        return !waitingFor.isEmpty();
    }

    /** The waiting nodes' steps for a park: which child each waits for. */
    List<StepRecord> parkedSteps() {
        List<StepRecord> steps = new ArrayList<>(waitingFor.size());
        waitingFor.forEach((nodeId, child) -> steps.add(progress.waitingStep(nodeId,
                JSON.objectNode().put("childExecutionId", child.toString()))));
        return steps;
    }

    /** The run fails, ends or stops: no node waits for its child any more (the children go on, or are cancelled). */
    void stop() {
        waitingFor.clear();
    }

    private NodeOutcome refusal(ChildPlan plan, String childWorkflow, Integer childVersion, JsonNode inputs) {
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
        List<FieldError> errors = plan.compiled().workflow().validateInputs(inputs);
        if (!errors.isEmpty()) {
            StringBuilder message = new StringBuilder("the inputs do not match workflow '" + childWorkflow + "':");
            errors.forEach(error -> message.append(' ').append(error.field()).append(' ').append(error.message())
                    .append(';'));
            return NodeOutcome.failure(ExecutionError.INVALID_INPUTS, message.toString());
        }
        return null;
    }

    /** Commits the child (pending, for any replica) with this node waiting for it and the steps before it. */
    private void launch(String nodeId, String childWorkflow, ChildPlan plan, JsonNode inputs) {
        Instant now = services.now();
        Long childTimeout = plan.compiled().workflow().definition().timeoutMs();
        Instant deadline = childTimeout == null ? execution.deadlineAt()
                : Collections.min(List.of(execution.deadlineAt(), now.plusMillis(childTimeout)));
        UUID childId = Ids.newUuid();
        ExecutionRecord child = new ExecutionRecord(childId, execution.tenantId(), childWorkflow,
                plan.version().versionId(), plan.version().version(), ExecutionStatus.PENDING, ExecutionMode.ASYNC,
                execution.channel(), execution.sessionId(), inputs, null, null, deadline, now, null, null);
        ObjectNode parked = JSON.objectNode().put("childExecutionId", childId.toString());
        ExecutionStarted started = ExecutionStarted.of(child, execution.id(), now);
        StepBatch before = pending.take();
        StepBatch batch = before.with(progress.waitingStep(nodeId, parked), List.of(started));
        run.await(services.startChild(execution, nodeId, child, plan.parent(), batch),
                live -> {
                    if (!live) {
                        run.endAsCancelled();
                        return;
                    }
                    listener.childStarted(execution.id(), childId);
                    if (run.phase() == RunPhase.ENDING || run.failing()) {
                        run.endIfDone();
                        return;
                    }
                    waitFor(nodeId, childId);
                },
                failed -> {
                    pending.putBack(before);
                    run.settle(nodeId, NodeOutcome.failure(ExecutionError.UNAVAILABLE,
                            "the child execution could not be started: the database did not answer"));
                    run.endIfDone();
                });
    }

    private void waitFor(String nodeId, UUID childId) {
        waitingFor.put(nodeId, childId);
        check(nodeId);
    }

    /** Reads the child a node waits for; its end ends the node with its outputs or its error. */
    private void check(String nodeId) {
        UUID child = waitingFor.get(nodeId);
        if (child == null || !checks.add(nodeId)) {
            return;
        }
        run.await(services.child(child), found -> seen(nodeId, found), failure -> seen(nodeId, null));
    }

    private void seen(String nodeId, ExecutionRecord child) {
        checks.remove(nodeId);
        if (run.phase() == RunPhase.ENDING || run.phase() == RunPhase.OVER || child == null
                || !waitingFor.containsKey(nodeId)) {
            run.endIfDone();
            return;
        }
        switch (child.status()) {
            case COMPLETED -> {
                waitingFor.remove(nodeId);
                run.settle(nodeId, NodeOutcome.success(child.outputs() == null ? JSON.nullNode() : child.outputs()));
            }
            case FAILED, CANCELLED -> {
                waitingFor.remove(nodeId);
                ExecutionError error = child.error();
                run.settle(nodeId, NodeOutcome.failure(ExecutionError.FAILED, "child execution " + child.id() + " "
                        + child.status().wire() + (error == null ? "" : ": " + error.code() + ": "
                        + error.message())));
            }
            default -> {
                // Still running: its end wakes this execution (and, if it runs here, this run at once).
            }
        }
        run.endIfDone();
    }
}
