package io.nexus.events.execution;

import java.time.Instant;

import io.nexus.events.EventPayload;

/** Published only for workflows declaring {@code "events": "steps"}; never the step's output. */
public record StepCompleted(String executionId, String tenantId, String workflow, int version, String node,
        String status, int attempts, Instant finishedAt) implements EventPayload {

    /** {@code status} is the step's wire status ({@code completed}, {@code failed}, ...). */
    public static StepCompleted of(ExecutionAggregate execution, String node, String status, int attempts,
            Instant finishedAt) {
        return new StepCompleted(execution.id().toString(), execution.tenantId().toString(), execution.workflow(),
                execution.version(), node, status, attempts, finishedAt);
    }

    @Override
    public String aggregateId() {
        return executionId;
    }
}
