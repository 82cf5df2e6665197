package io.nexus.workflow.metrics;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.nexus.common.http.Channel;
import io.nexus.common.metrics.MetricNames;
import io.quarkus.runtime.StartupEvent;

/**
 * The workflow metrics of docs/api.md §7. Every terminal status × channel series exists from start-up, so dashboards
 * and alerts see zeros instead of gaps. {@code nexus_tenant_operations_total} is labelled by tenant, whose values
 * are not known at start-up; its series appear with each tenant's first operation.
 */
@ApplicationScoped
public class WorkflowMetrics {

    private final MeterRegistry registry;

    public WorkflowMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void registerAtStartup(@Observes StartupEvent event) {
        for (String status : MetricNames.EXECUTION_STATUSES) {
            for (Channel channel : Channel.values()) {
                executions(status, channel);
            }
            durations(status);
        }
    }

    public void executionEnded(String status, Channel channel, Duration duration) {
        executions(status, channel).increment();
        durations(status).record(duration);
    }

    public void tenantOperation(String tenantId, String operation) {
        Counter.builder(MetricNames.TENANT_OPERATIONS)
                .description("Operations per tenant")
                .tags("tenant", tenantId, "operation", operation)
                .register(registry)
                .increment();
    }

    private Counter executions(String status, Channel channel) {
        return Counter.builder(MetricNames.WORKFLOW_EXECUTIONS)
                .description("Workflow executions that ended, by status and channel")
                .tags("status", status, "channel", channel.label())
                .register(registry);
    }

    private Timer durations(String status) {
        return Timer.builder(MetricNames.WORKFLOW_EXECUTION_DURATION)
                .description("Duration of workflow executions from start to end")
                .tags("status", status)
                .serviceLevelObjectives(MetricNames.DURATION_BUCKETS)
                .register(registry);
    }
}
