package io.nexus.workflow.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A call to marketplace-service that did not answer a result: refused for the caller's input (a 4xx, with the
 * problem's detail, neither retried nor held against the service) or unavailable (5xx, timeout, no connection).
 */
public final class MarketplaceServiceException extends RuntimeException {

    private final boolean callersMistake;
    private final boolean transientFailure;

    private MarketplaceServiceException(String message, boolean callersMistake, boolean transientFailure) {
        super(message, null, false, false);
        this.callersMistake = callersMistake;
        this.transientFailure = transientFailure;
    }

    static MarketplaceServiceException ofStatus(int status, JsonNode problem) {
        if (status >= 500) {
            return new MarketplaceServiceException("marketplace-service answered " + status, false, true);
        }
        String detail = problem == null ? "" : problem.path("detail").asText("");
        StringBuilder message = new StringBuilder(detail.isEmpty() ? "refused with " + status : detail);
        if (problem != null) {
            for (JsonNode error : problem.path("errors")) {
                message.append("; ").append(error.path("field").asText()).append(": ")
                        .append(error.path("message").asText());
            }
        }
        return new MarketplaceServiceException(message.toString(), true, false);
    }

    static MarketplaceServiceException unavailable(String message) {
        return new MarketplaceServiceException(message, false, false);
    }

    /** A 4xx about the caller's input: the caller should change the call. */
    public boolean isCallersMistake() {
        return callersMistake;
    }

    boolean isTransient() {
        return transientFailure;
    }
}
