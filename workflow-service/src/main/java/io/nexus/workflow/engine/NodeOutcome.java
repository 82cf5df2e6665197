package io.nexus.workflow.engine;

import com.fasterxml.jackson.databind.JsonNode;

import io.nexus.workflow.domain.ExecutionError;

/** One attempt of a node: its output, or why it failed. */
record NodeOutcome(JsonNode output, ExecutionError error) {

    static NodeOutcome success(JsonNode output) {
        return new NodeOutcome(output, null);
    }

    static NodeOutcome failure(String code, String message) {
        return new NodeOutcome(null, new ExecutionError(code, message, null));
    }

    boolean failed() {
        return error != null;
    }
}
