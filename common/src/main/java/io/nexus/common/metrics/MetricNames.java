package io.nexus.common.metrics;

import java.time.Duration;
import java.util.List;

/**
 * The metric names and label values of docs/api.md §7, defined once. Names are Micrometer's dotted form; the Prometheus
 * registry renders them with the suffixes the contract lists ({@code nexus.errors} → {@code nexus_errors_total},
 * timers → {@code _seconds}, the memory gauge's base unit → {@code _bytes}).
 */
public final class MetricNames {

    public static final String SERVICE_TAG = "service";

    public static final String REQUEST_DURATION = "nexus.channel.request.duration";
    public static final String ERRORS = "nexus.errors";
    public static final String DATABASE_UP = "nexus.database.up";
    public static final String DATABASE_CONNECTIONS_ACTIVE = "nexus.database.connections.active";
    public static final String DATABASE_CONNECTIONS_MAX = "nexus.database.connections.max";
    public static final String MEMORY_USAGE = "nexus.memory.usage";
    public static final String WORKFLOW_EXECUTIONS = "nexus.workflow.executions";
    public static final String WORKFLOW_EXECUTION_DURATION = "nexus.workflow.execution.duration";
    public static final String ACTIVE_SESSIONS = "nexus.active.sessions";
    public static final String TENANT_OPERATIONS = "nexus.tenant.operations";
    public static final String MARKETPLACE_OPERATIONS = "nexus.marketplace.operations";

    public static final List<String> EXECUTION_STATUSES = List.of("completed", "failed", "cancelled");
    public static final List<String> MARKETPLACE_OPERATION_VALUES = List.of("search", "install", "publish", "review");

    /** Histogram buckets for request and execution durations: fine below 1 s where the SLOs are (p95 200 ms, p99 500 ms). */
    public static final Duration[] DURATION_BUCKETS = {
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(300), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofSeconds(60) };

    private MetricNames() {
    }
}
