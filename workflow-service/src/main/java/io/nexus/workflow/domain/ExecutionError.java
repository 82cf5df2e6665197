package io.nexus.workflow.domain;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Why an execution or a step failed: {@code code} is stable for clients to branch on ({@code expression}, {@code limit},
 * {@code timeout}, {@code failed}, {@code cancelled}, {@code unsupported}, {@code unavailable}, and from {@code http} nodes
 * {@code http}, {@code forbidden-target}, {@code invalid-request}, from {@code subworkflow} nodes {@code recursion},
 * {@code not-found}, {@code invalid-inputs}, and from {@code session} nodes {@code not-found}, {@code limit},
 * {@code unavailable}); {@code node} names the node that failed the execution, when one did.
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
    /** A subworkflow node names a workflow already in its execution's chain. */
    public static final String RECURSION = "recursion";
    /**
     * A subworkflow node names a workflow (or version) the tenant does not have; a session node's execution has no
     * session, or its session is gone.
     */
    public static final String NOT_FOUND = "not-found";
    /** A subworkflow node's inputs do not satisfy the child workflow's inputSchema. */
    public static final String INVALID_INPUTS = "invalid-inputs";

    /** A message may quote a value: U+0000, which PostgreSQL cannot store, becomes U+FFFD. */
    public ExecutionError {
        if (message != null && message.indexOf('\u0000') >= 0) {
            message = message.replace('\u0000', '\uFFFD');
        }
    }

    public ExecutionError atNode(String failedNode) {
        return new ExecutionError(code, message, failedNode);
    }
}
