package io.nexus.common.problem;

/**
 * The kinds of problem Nexus reports. The {@code type} URI is stable so clients can branch on it; the title is the
 * short human summary that RFC 9457 asks to stay the same for every occurrence of the type.
 */
public enum ProblemType {
    INVALID_REQUEST(400, "invalid-request", "Invalid request"),
    UNAUTHORIZED(401, "unauthorized", "Unauthorized"),
    FORBIDDEN(403, "forbidden", "Forbidden"),
    NOT_FOUND(404, "not-found", "Not found"),
    METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed"),
    NOT_ACCEPTABLE(406, "not-acceptable", "Not acceptable"),
    CONFLICT(409, "conflict", "Conflict"),
    PRECONDITION_FAILED(412, "precondition-failed", "Precondition failed"),
    PAYLOAD_TOO_LARGE(413, "payload-too-large", "Payload too large"),
    URI_TOO_LONG(414, "uri-too-long", "URI too long"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported media type"),
    UNPROCESSABLE(422, "unprocessable", "Unprocessable content"),
    TOO_MANY_REQUESTS(429, "too-many-requests", "Too many requests"),
    HEADERS_TOO_LARGE(431, "headers-too-large", "Request header fields too large"),
    INTERNAL(500, "internal", "Internal error"),
    BAD_GATEWAY(502, "bad-gateway", "Bad gateway"),
    SERVICE_UNAVAILABLE(503, "service-unavailable", "Service unavailable"),
    GATEWAY_TIMEOUT(504, "gateway-timeout", "Gateway timeout");

    private static final String TYPE_PREFIX = "urn:nexus:problem:";

    private final int status;
    private final String uri;
    private final String title;

    ProblemType(int status, String slug, String title) {
        this.status = status;
        this.uri = TYPE_PREFIX + slug;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String uri() {
        return uri;
    }

    public String title() {
        return title;
    }

    /** The type for an HTTP status that has no more specific cause, falling back to the status class. */
    public static ProblemType forStatus(int status) {
        for (ProblemType type : values()) {
            if (type.status == status) {
                return type;
            }
        }
        return status >= 500 ? INTERNAL : INVALID_REQUEST;
    }
}
