package io.nexus.workflow.service;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.nexus.workflow.definition.NodeDefinition;
import io.nexus.workflow.domain.ExecutionRecord;
import io.nexus.workflow.domain.ExecutionStatus;
import io.nexus.workflow.domain.StepRecord;
import io.nexus.workflow.engine.ExecutionResult;
import io.nexus.workflow.rest.dto.ExecutionAcceptedView;
import io.nexus.workflow.rest.dto.ExecutionOutcomeView;
import io.nexus.workflow.rest.dto.ExecutionSummaryView;
import io.nexus.workflow.rest.dto.ExecutionView;
import io.nexus.workflow.rest.dto.SignalAcceptedView;
import io.nexus.workflow.rest.dto.StepView;

/** The execution shapes of docs/api.md §4. */
final class ExecutionViews {

    private ExecutionViews() {
    }

    static ExecutionOutcomeView result(ExecutionResult result) {
        return new ExecutionOutcomeView(result.executionId().toString(), result.status().wire(), result.outputs(),
                result.error(), result.durationMs());
    }

    static ExecutionAcceptedView accepted(UUID executionId, ExecutionStatus status) {
        return new ExecutionAcceptedView(executionId.toString(), status.wire());
    }

    static SignalAcceptedView signalAccepted(UUID executionId, String signal) {
        return SignalAcceptedView.of(executionId.toString(), signal);
    }

    static ExecutionSummaryView summary(ExecutionRecord execution) {
        return new ExecutionSummaryView(execution.id().toString(), execution.workflow(), execution.version(),
                execution.status().wire(), execution.channel(), execution.sessionId(), execution.error(),
                execution.createdAt(), execution.finishedAt());
    }

    /** The full execution: every node of its version is listed, those not reached yet as pending (or cancelled). */
    static ExecutionView full(ExecutionRecord execution, List<NodeDefinition> nodes, List<StepRecord> steps) {
        Map<String, StepRecord> byNode = new HashMap<>();
        steps.forEach(step -> byNode.put(step.node(), step));
        String unreached = execution.status().terminal() ? "cancelled" : "pending";
        List<StepView> stepViews = new ArrayList<>(nodes.size());
        for (NodeDefinition node : nodes) {
            StepRecord step = byNode.get(node.id());
            stepViews.add(step == null ? new StepView(node.id(), unreached, 0, null, null, null, null) : step(step));
        }
        return new ExecutionView(execution.id().toString(), execution.workflow(), execution.version(),
                execution.status().wire(), execution.channel(), execution.sessionId(), execution.inputs(),
                execution.outputs(), execution.error(), stepViews, execution.createdAt(), execution.startedAt(),
                execution.finishedAt());
    }

    /** A recorded step, as {@link #full} lists it and an event stream sends it. */
    static StepView step(StepRecord step) {
        return new StepView(step.node(), step.status().wire(), step.attempts(), step.startedAt(), step.finishedAt(),
                step.output(), step.error());
    }
}
