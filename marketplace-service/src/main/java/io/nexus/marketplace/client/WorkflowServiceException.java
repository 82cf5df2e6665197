package io.nexus.marketplace.client;

/**
 * Why workflow-service gave no snapshot: {@link Kind#NOT_FOUND} (404: the tenant has no such workflow or version) or
 * {@link Kind#UNAVAILABLE} (no usable answer: a timeout, no connection, a 5xx, a refused call, the circuit open).
 */
public final class WorkflowServiceException extends RuntimeException {

    public enum Kind {
        NOT_FOUND, UNAVAILABLE
    }

    private final Kind kind;
    private final boolean transientFailure;

    private WorkflowServiceException(Kind kind, String message, boolean transientFailure) {
        // An expected outcome, reported to the caller: no stack trace to fill.
        super(message, null, false, false);
        this.kind = kind;
        this.transientFailure = transientFailure;
    }

    /** What an error status (400 or more) of workflow-service means. */
    public static WorkflowServiceException ofStatus(int status) {
        if (status == 404) {
            return new WorkflowServiceException(Kind.NOT_FOUND, "workflow-service has no such workflow or version",
                    false);
        }
        if (status >= 500) {
            return new WorkflowServiceException(Kind.UNAVAILABLE, "workflow-service answered " + status, true);
        }
        // 400, 401, 403, …: this call or the identity it forwarded is wrong; trying again changes nothing.
        return new WorkflowServiceException(Kind.UNAVAILABLE, "workflow-service refused the call with " + status,
                false);
    }

    public static WorkflowServiceException unavailable(String message) {
        return new WorkflowServiceException(Kind.UNAVAILABLE, message, false);
    }

    public Kind kind() {
        return kind;
    }

    /** A 5xx: another attempt may succeed. */
    boolean isTransient() {
        return transientFailure;
    }

    /** An answer about the workflow itself (404), not a sign that workflow-service is failing. */
    boolean isAboutTheWorkflow() {
        return kind == Kind.NOT_FOUND;
    }
}
