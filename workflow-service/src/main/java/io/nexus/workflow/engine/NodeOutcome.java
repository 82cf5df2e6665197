package io.nexus.workflow.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.nexus.workflow.domain.ExecutionError;

/**
 * One attempt of a node: its output, or why it failed. A failure is retried under the node's {@code retry} unless it
 * is {@code final} (another attempt would fail the same way, e.g. an http 404); {@code retryAfterMs} &gt; 0 asks for
 * at least that long before the next attempt (an http {@code Retry-After}).
 */
record NodeOutcome(JsonNode output, ExecutionError error, boolean retryable, long retryAfterMs) {

    static NodeOutcome success(JsonNode output) {
        return new NodeOutcome(output, null, false, 0);
    }

    /** A failure that {@code retry} applies to. */
    static NodeOutcome failure(String code, String message) {
        return new NodeOutcome(null, new ExecutionError(code, message, null), true, 0);
    }

    /** A failure no further attempt would change: {@code retry} is skipped, {@code onError} applies at once. */
    static NodeOutcome finalFailure(String code, String message) {
        return new NodeOutcome(null, new ExecutionError(code, message, null), false, 0);
    }

    /** This retryable failure, with the next attempt no sooner than {@code delayMs} from now. */
    NodeOutcome retryAfter(long delayMs) {
        return new NodeOutcome(output, error, retryable, Math.max(0, delayMs));
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
