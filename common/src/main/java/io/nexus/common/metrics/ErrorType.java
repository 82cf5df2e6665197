package io.nexus.common.metrics;

/** The {@code type} label of {@code nexus_errors_total}: server-side failures only (docs/api.md §7). */
public enum ErrorType {
    HTTP_5XX("http_5xx"), CONSUMER("consumer"), OUTBOX("outbox"), DEPENDENCY("dependency");

    private final String label;

    ErrorType(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
