package io.nexus.events.execution;

import java.time.Instant;

import io.nexus.events.EventPayload;

public record ExecutionCancelled(String executionId, String tenantId, String workflow, int version, String channel,
        long durationMs, Instant finishedAt) implements EventPayload {

    @Override
    public String aggregateId() {
        return executionId;
    }
}
