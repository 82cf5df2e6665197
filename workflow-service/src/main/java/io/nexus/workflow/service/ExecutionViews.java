package io.nexus.workflow.service;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.nexus.workflow.definition.NodeDefinition;
import io.nexus.workflow.domain.ExecutionError;
import io.nexus.workflow.domain.ExecutionRecord;
import io.nexus.workflow.domain.ExecutionStatus;
import io.nexus.workflow.domain.StepRecord;
import io.nexus.workflow.engine.ExecutionResult;

/** The execution shapes of CONTRACT §4. */
final class ExecutionViews {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ExecutionViews() {
    }

    static ObjectNode result(ExecutionResult result) {
        ObjectNode view = JSON.objectNode();
        view.put("executionId", result.executionId().toString());
        view.put("status", result.status().wire());
        view.set("outputs", result.outputs() == null ? JSON.nullNode() : result.outputs());
        view.set("error", error(result.error()));
        view.put("durationMs", result.durationMs());
        return view;
    }

    static ObjectNode accepted(String executionId, ExecutionStatus status) {
        return JSON.objectNode().put("executionId", executionId).put("status", status.wire());
    }

    static ObjectNode summary(ExecutionRecord execution) {
        ObjectNode view = JSON.objectNode();
        view.put("id", execution.id().toString());
        view.put("workflow", execution.workflow());
        view.put("version", execution.version());
        view.put("status", execution.status().wire());
        view.put("channel", execution.channel());
        view.put("sessionId", execution.sessionId());
        view.set("error", error(execution.error()));
        view.put("createdAt", execution.createdAt().toString());
        view.put("finishedAt", execution.finishedAt() == null ? null : execution.finishedAt().toString());
        return view;
    }

    /** The full execution: every node of its version is listed, those not reached yet as pending (or cancelled). */
    static ObjectNode full(ExecutionRecord execution, List<NodeDefinition> nodes, List<StepRecord> steps) {
        ObjectNode view = JSON.objectNode();
        view.put("id", execution.id().toString());
        view.put("workflow", execution.workflow());
        view.put("version", execution.version());
        view.put("status", execution.status().wire());
        view.put("channel", execution.channel());
        view.put("sessionId", execution.sessionId());
        view.set("inputs", execution.inputs());
        view.set("outputs", execution.outputs() == null ? JSON.nullNode() : execution.outputs());
        view.set("error", error(execution.error()));
        Map<String, StepRecord> byNode = new HashMap<>();
        steps.forEach(step -> byNode.put(step.node(), step));
        ArrayNode stepViews = view.putArray("steps");
        String unreached = execution.status().terminal() ? "cancelled" : "pending";
        for (NodeDefinition node : nodes) {
            StepRecord step = byNode.get(node.id());
            ObjectNode stepView = stepViews.addObject();
            stepView.put("node", node.id());
            if (step == null) {
                stepView.put("status", unreached).put("attempts", 0).putNull("startedAt").putNull("finishedAt")
                        .putNull("output").putNull("error");
                continue;
            }
            stepFields(stepView, step);
        }
        view.put("createdAt", execution.createdAt().toString());
        view.put("startedAt", execution.startedAt() == null ? null : execution.startedAt().toString());
        view.put("finishedAt", execution.finishedAt() == null ? null : execution.finishedAt().toString());
        return view;
    }

    /** A recorded step, as {@link #full} lists it. */
    static ObjectNode step(StepRecord step) {
        ObjectNode view = JSON.objectNode();
        view.put("node", step.node());
        stepFields(view, step);
        return view;
    }

    private static void stepFields(ObjectNode view, StepRecord step) {
        view.put("status", step.status().wire());
        view.put("attempts", step.attempts());
        view.put("startedAt", step.startedAt() == null ? null : step.startedAt().toString());
        view.put("finishedAt", step.finishedAt() == null ? null : step.finishedAt().toString());
        view.set("output", step.output() == null ? JSON.nullNode() : step.output());
        view.set("error", error(step.error()));
    }

    private static JsonNode error(ExecutionError error) {
        return error == null ? JSON.nullNode() : MAPPER.valueToTree(error);
    }
}
