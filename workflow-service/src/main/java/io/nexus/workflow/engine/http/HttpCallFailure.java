package io.nexus.workflow.engine.http;

/**
 * Why an outbound call produced no result. The message names hosts and addresses but never request headers.
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
