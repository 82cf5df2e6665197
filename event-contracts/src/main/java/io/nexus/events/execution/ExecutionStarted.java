package io.nexus.events.execution;

import java.time.Instant;

import io.nexus.events.EventPayload;

/** Never the inputs: integrations that need them read the execution through the API. */
public record ExecutionStarted(String executionId, String tenantId, String workflow, int version, String channel,
        String sessionId, String parentExecutionId, Instant startedAt) implements EventPayload {

    @Override
    public String aggregateId() {
        return executionId;
    }
}
