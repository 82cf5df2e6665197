package io.nexus.workflow.domain;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Why an execution or a step failed: {@code code} is stable for clients to branch on ({@code expression}, {@code limit},
 * {@code timeout}, {@code failed}, {@code cancelled}, {@code unsupported}, {@code unavailable}, and from {@code http} nodes
 * {@code http}, {@code forbidden-target}, {@code invalid-request}); {@code node} names the node that failed the
 * execution, when one did.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExecutionError(String code, String message, String node) {

    public static final String EXPRESSION = "expression";
    public static final String LIMIT = "limit";
    public static final String TIMEOUT = "timeout";
    public static final String FAILED = "failed";
    public static final String CANCELLED = "cancelled";
    public static final String UNSUPPORTED = "unsupported";
    public static final String UNAVAILABLE = "unavailable";

    public ExecutionError atNode(String failedNode) {
        return new ExecutionError(code, message, failedNode);
    }
}
