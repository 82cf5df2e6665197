package io.nexus.events.execution;

import java.time.Instant;

import io.nexus.events.EventPayload;

/** The error code and failing node only: a message may quote inputs. */
public record ExecutionFailed(String executionId, String tenantId, String workflow, int version, String channel,
        String errorCode, String failedNode, long durationMs, Instant finishedAt) implements EventPayload {

    /** {@code errorCode} and {@code errorNode} as the execution's error has them (either may be null). */
    public static ExecutionFailed of(ExecutionAggregate execution, String errorCode, String errorNode, long durationMs,
            Instant finishedAt) {
        return new ExecutionFailed(execution.id().toString(), execution.tenantId().toString(), execution.workflow(),
                execution.version(), execution.channel(), errorCode, errorNode, durationMs, finishedAt);
    }

    @Override
    public String aggregateId() {
        return executionId;
    }
}
