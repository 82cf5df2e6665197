package io.nexus.gateway.session;

/** What a request carrying {@code X-Nexus-Session} may do, once its session has been checked. */
public enum SessionVerdict {
    /** The session is the tenant's and has been touched: forward the request. */
    IN_USE,
    /** No such session for this tenant (unknown, expired, closed, or another tenant's): 404. */
    UNKNOWN,
    /** Redis or session-service could not tell: 503. */
    UNAVAILABLE
}
