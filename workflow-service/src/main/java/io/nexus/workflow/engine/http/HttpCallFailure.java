package io.nexus.workflow.engine.http;

/**
 * Why an outbound call produced no result. The message may name the target's host but never request headers, nor
 * (for {@value #FORBIDDEN_TARGET}) the addresses it resolved to or the rule that refused it.
 *
 * <p>Codes: {@value #HTTP} (connection refused or reset, TLS or DNS failure, malformed response),
 * {@value #TIMEOUT}, {@value #FORBIDDEN_TARGET} (SSRF rule), {@value #LIMIT} (response larger than the cap, too
 * many redirects), {@value #INVALID_REQUEST} (bad URL, scheme, method or header).
 */
public final class HttpCallFailure extends Exception {

    public static final String HTTP = "http";
    public static final String TIMEOUT = "timeout";
    public static final String FORBIDDEN_TARGET = "forbidden-target";
    public static final String LIMIT = "limit";
    public static final String INVALID_REQUEST = "invalid-request";
    /** The whole message of every {@value #FORBIDDEN_TARGET} failure: which address or rule refused stays unsaid. */
    public static final String FORBIDDEN_TARGET_MESSAGE = "forbidden target";

    private static final long serialVersionUID = 1L;

    private final String code;

    public HttpCallFailure(String code, String message) {
        this(code, message, null);
    }

    public HttpCallFailure(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public String code() {
        return code;
    }

    @Override
    public String toString() {
        return "HttpCallFailure[" + code + "]: " + getMessage();
    }
}
