package io.nexus.workflow.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.nexus.workflow.domain.ExecutionError;

/** One attempt of a node: its output, or why it failed. */
record NodeOutcome(JsonNode output, ExecutionError error) {

    static NodeOutcome success(JsonNode output) {
        return new NodeOutcome(output, null);
    }

    static NodeOutcome failure(String code, String message) {
        return new NodeOutcome(null, new ExecutionError(code, message, null));
    }

    /**
     * What the next nodes see of a node that failed with {@code onError: continue}: {@code {"error": {code, message}}}
     * (docs/api.md §5).
     */
    static ObjectNode continued(ExecutionError error) {
        ObjectNode asResult = JsonNodeFactory.instance.objectNode();
        ObjectNode detail = asResult.putObject("error");
        detail.put("code", error == null ? ExecutionError.FAILED : error.code());
        detail.put("message", error == null ? "failed" : error.message());
        return asResult;
    }

    boolean failed() {
        return error != null;
    }
}
