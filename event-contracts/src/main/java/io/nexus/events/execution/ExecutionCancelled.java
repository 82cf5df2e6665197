package io.nexus.events.execution;

import java.time.Instant;

import io.nexus.events.EventPayload;

public record ExecutionCancelled(String executionId, String tenantId, String workflow, int version, String channel,
        long durationMs, Instant finishedAt) implements EventPayload {

    /** The cancel's time is the event's {@code finishedAt}: a cancelled execution is finished. */
    public static ExecutionCancelled of(ExecutionAggregate execution, long durationMs, Instant cancelledAt) {
        return new ExecutionCancelled(execution.id().toString(), execution.tenantId().toString(),
                execution.workflow(), execution.version(), execution.channel(), durationMs, cancelledAt);
    }

    @Override
    public String aggregateId() {
        return executionId;
    }
}
