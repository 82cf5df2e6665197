package io.nexus.events.execution;

import java.time.Instant;

import io.nexus.events.EventPayload;

/** Published only for workflows declaring {@code "events": "steps"}; never the step's output. */
public record StepCompleted(String executionId, String tenantId, String workflow, int version, String node,
        String status, int attempts, Instant finishedAt) implements EventPayload {

    @Override
    public String aggregateId() {
        return executionId;
    }
}
