package io.nexus.workflow.engine;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.nexus.workflow.domain.ExecutionError;
import io.nexus.workflow.domain.StepRecord;
import io.nexus.workflow.domain.StepStatus;
import io.nexus.workflow.definition.NodeDefinition;

/**
 * What a run knows of each node of its workflow: its definition and position, when it started, how many attempts it
 * made, whether its step is decided (recorded, never to be recorded again), and its result as expressions see it
 * ({@code nodes.<id>}). Builds the node's step records from that.
 */
final class NodeProgress {

    private final Map<String, NodeDefinition> nodes = new LinkedHashMap<>();
    private final Map<String, Integer> positions = new HashMap<>();
    private final Map<String, Instant> startedAt = new HashMap<>();
    private final Map<String, Integer> attempts = new HashMap<>();
    private final Set<String> decided = new HashSet<>();
    private final Map<String, JsonNode> results = new LinkedHashMap<>();

    NodeProgress(List<NodeDefinition> definitionNodes) {
        for (int i = 0; i < definitionNodes.size(); i++) {
            nodes.put(definitionNodes.get(i).id(), definitionNodes.get(i));
            positions.put(definitionNodes.get(i).id(), i);
        }
    }

    NodeDefinition node(String nodeId) {
        return nodes.get(nodeId);
    }

    Collection<String> nodeIds() {
        return nodes.keySet();
    }

    void started(String nodeId, Instant at) {
        startedAt.put(nodeId, at);
    }

    /** A step an earlier run committed: when it started and how many attempts it made there. */
    void replayed(StepRecord step, Instant fallbackStart) {
        startedAt.put(step.node(), step.startedAt() != null ? step.startedAt() : fallbackStart);
        attempts.put(step.node(), Math.max(1, step.attempts()));
    }

    /** Counts a new attempt of the node; returns how many it has made, this one included. */
    int newAttempt(String nodeId) {
        return attempts.merge(nodeId, 1, Integer::sum);
    }

    int attempts(String nodeId) {
        return attempts.getOrDefault(nodeId, 0);
    }

    /** Marks the node's step decided; false if it already was (a step is recorded once). */
    boolean decide(String nodeId) {
        return decided.add(nodeId);
    }

    boolean isDecided(String nodeId) {
        return decided.contains(nodeId);
    }

    void result(String nodeId, JsonNode result) {
        results.put(nodeId, result);
    }

    JsonNode result(String nodeId) {
        return results.get(nodeId);
    }

    /** The results of the nodes that completed (or failed and continued), as expressions see {@code nodes}. */
    Map<String, JsonNode> results() {
        return results;
    }

    /** The node's step as of {@code now}: finished if it ran, or if it started (and was cut short). */
    StepRecord step(String nodeId, StepStatus status, JsonNode output, ExecutionError error, Instant now) {
        Instant began = startedAt.get(nodeId);
        boolean ran = status == StepStatus.COMPLETED || status == StepStatus.FAILED;
        return new StepRecord(nodeId, positions.get(nodeId), status, attempts(nodeId), began,
                ran || began != null ? now : null, output, error);
    }

    /** The node waiting, with what a later run needs to wait again ({@code parked}: due time, signal, child). */
    StepRecord waitingStep(String nodeId, JsonNode parked) {
        return new StepRecord(nodeId, positions.get(nodeId), StepStatus.WAITING, attempts.getOrDefault(nodeId, 1),
                startedAt.get(nodeId), null, parked, null);
    }
}
