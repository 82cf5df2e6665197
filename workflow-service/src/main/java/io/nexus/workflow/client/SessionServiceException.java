package io.nexus.workflow.client;

/**
 * Why a call to session-service gave no session data: {@link Kind#GONE} (404: the session is unknown, expired, closed
 * or another tenant's), {@link Kind#TOO_LARGE} (413: the merge would make the data too large, nothing was stored), or
 * {@link Kind#UNAVAILABLE} (no usable answer: a timeout, no connection, a 5xx, a refused call, the circuit open).
 */
public final class SessionServiceException extends RuntimeException {

    public enum Kind {
        GONE, TOO_LARGE, UNAVAILABLE
    }

    private final Kind kind;
    private final boolean transientFailure;

    private SessionServiceException(Kind kind, String message, boolean transientFailure) {
        // An expected outcome, reported to the execution: no stack trace to fill.
        super(message, null, false, false);
        this.kind = kind;
        this.transientFailure = transientFailure;
    }

    /** What an error status (400 or more) of session-service means. */
    public static SessionServiceException ofStatus(int status) {
        if (status == 404) {
            return new SessionServiceException(Kind.GONE, "session-service has no such session", false);
        }
        if (status == 413) {
            return new SessionServiceException(Kind.TOO_LARGE, "session-service refused the merge as too large",
                    false);
        }
        if (status >= 500) {
            return new SessionServiceException(Kind.UNAVAILABLE, "session-service answered " + status, true);
        }
        // 400, 401, 403, …: this service's call or identity is wrong; trying again changes nothing.
        return new SessionServiceException(Kind.UNAVAILABLE, "session-service refused the call with " + status,
                false);
    }

    public static SessionServiceException unavailable(String message) {
        return new SessionServiceException(Kind.UNAVAILABLE, message, false);
    }

    public Kind kind() {
        return kind;
    }

    /** A 5xx: another attempt may succeed. */
    boolean isTransient() {
        return transientFailure;
    }

    /** An answer about the session itself (404, 413), not a sign that session-service is failing. */
    boolean isAboutTheSession() {
        return kind != Kind.UNAVAILABLE;
    }
}
