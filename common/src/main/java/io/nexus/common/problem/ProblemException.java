package io.nexus.common.problem;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Thrown anywhere in a request to answer with a problem document. Carries response headers for the cases that need
 * them ({@code Retry-After} on 429 and 503, {@code WWW-Authenticate} on 401).
 */
public class ProblemException extends RuntimeException {

    private static final String RETRY_AFTER = "Retry-After";

    private final ProblemType type;
    private final List<FieldError> errors;
    private final Map<String, String> headers;

    public ProblemException(ProblemType type, String detail) {
        this(type, detail, null, Map.of());
    }

    public ProblemException(ProblemType type, String detail, List<FieldError> errors, Map<String, String> headers) {
        super(detail, null, false, false);
        this.type = type;
        this.errors = errors == null || errors.isEmpty() ? null : List.copyOf(errors);
        this.headers = withRetryAfter(type, headers);
    }

    /**
     * A 503 always says when to come back: {@code Retry-After: 1} unless the thrower chose a delay. Clients and the
     * fault suites rely on it; the outage behind a 503 is expected to pass (a pool recovering, Redis restarting).
     */
    private static Map<String, String> withRetryAfter(ProblemType type, Map<String, String> headers) {
        if (type != ProblemType.SERVICE_UNAVAILABLE
                || headers.keySet().stream().anyMatch(RETRY_AFTER::equalsIgnoreCase)) {
            return Map.copyOf(headers);
        }
        Map<String, String> withDefault = new HashMap<>(headers);
        withDefault.put(RETRY_AFTER, "1");
        return Map.copyOf(withDefault);
    }

    public static ProblemException invalid(List<FieldError> errors) {
        String detail = errors.size() == 1 ? "1 field is invalid" : errors.size() + " fields are invalid";
        return new ProblemException(ProblemType.INVALID_REQUEST, detail, errors, Map.of());
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(ProblemType.INVALID_REQUEST, detail);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(ProblemType.NOT_FOUND, detail);
    }

    public ProblemType type() {
        return type;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public Problem toProblem(String instance) {
        return new Problem(type.uri(), type.title(), type.status(), getMessage(), instance, errors);
    }
}
