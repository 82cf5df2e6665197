package io.nexus.workflow.definition;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One node of a definition.
 *
 * @param config    the type's configuration exactly as registered (validated against the type's rules)
 * @param retry     null = one attempt
 * @param timeoutMs per-attempt limit; null = none beyond the execution's deadline
 */
public record NodeDefinition(String id, NodeType type, JsonNode config, RetryPolicy retry, Long timeoutMs,
        OnError onError) {

    public NodeDefinition {
        onError = onError == null ? OnError.FAIL : onError;
    }

    public int maxAttempts() {
        return retry == null ? 1 : retry.maxAttempts();
    }
}
