package io.nexus.events.execution;

import java.time.Instant;

import io.nexus.events.EventPayload;

public record ExecutionCompleted(String executionId, String tenantId, String workflow, int version, String channel,
        long durationMs, Instant finishedAt) implements EventPayload {

    public static ExecutionCompleted of(ExecutionAggregate execution, long durationMs, Instant finishedAt) {
        return new ExecutionCompleted(execution.id().toString(), execution.tenantId().toString(),
                execution.workflow(), execution.version(), execution.channel(), durationMs, finishedAt);
    }

    @Override
    public String aggregateId() {
        return executionId;
    }
}
