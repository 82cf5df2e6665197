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
 * @param secrets the opened tenant secrets an http node's expressions read, by name; empty elsewhere
 */
public record EvaluationContext(JsonNode inputs, Map<String, JsonNode> nodes, JsonNode session,
        Map<String, String> secrets) {

    public EvaluationContext {
        nodes = nodes == null ? Map.of() : nodes;
        secrets = secrets == null ? Map.of() : Map.copyOf(secrets);
    }

    public EvaluationContext(JsonNode inputs, Map<String, JsonNode> nodes, JsonNode session) {
        this(inputs, nodes, session, Map.of());
    }

    /** The same context with these secrets opened (an http node's call). */
    public EvaluationContext withSecrets(Map<String, String> opened) {
        return new EvaluationContext(inputs, nodes, session, opened);
    }

    /** Names the secrets, never their values (contexts may end up in a log line). */
    @Override
    public String toString() {
        return "EvaluationContext[inputs, nodes=" + nodes.keySet() + ", session=" + (session != null)
                + ", secrets=" + secrets.keySet() + "]";
    }

    public static EvaluationContext ofInputs(JsonNode inputs) {
        return new EvaluationContext(inputs, Map.of(), null);
    }
}
