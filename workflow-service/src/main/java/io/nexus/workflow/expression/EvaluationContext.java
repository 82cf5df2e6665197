package io.nexus.workflow.expression;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What an expression sees.
 *
 * @param inputs  the execution's inputs (null is read as an empty object)
 * @param nodes   outputs of the nodes that completed, by node id; skipped and pending nodes are absent, so
 *                {@code has(nodes.big)} tells which branch ran
 * @param session the session's data, or null when the execution has none ({@code session} is then {@code null})
 */
public record EvaluationContext(JsonNode inputs, Map<String, JsonNode> nodes, JsonNode session) {

    public EvaluationContext {
        nodes = nodes == null ? Map.of() : nodes;
    }

    public static EvaluationContext ofInputs(JsonNode inputs) {
        return new EvaluationContext(inputs, Map.of(), null);
    }
}
