package io.nexus.events.execution;

import java.time.Instant;

import io.nexus.events.EventPayload;

/** The error code and failing node only: a message may quote inputs. */
public record ExecutionFailed(String executionId, String tenantId, String workflow, int version, String channel,
        String errorCode, String failedNode, long durationMs, Instant finishedAt) implements EventPayload {

    @Override
    public String aggregateId() {
        return executionId;
    }
}
