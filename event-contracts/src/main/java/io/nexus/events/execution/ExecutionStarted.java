package io.nexus.events.execution;

import java.time.Instant;
import java.util.UUID;

import io.nexus.events.EventPayload;

/** Never the inputs: integrations that need them read the execution through the API. */
public record ExecutionStarted(String executionId, String tenantId, String workflow, int version, String channel,
        String sessionId, String parentExecutionId, Instant startedAt) implements EventPayload {

    /** {@code parentId} is the execution whose subworkflow node started this one; null for a root execution. */
    public static ExecutionStarted of(ExecutionAggregate execution, UUID parentId, Instant startedAt) {
        return new ExecutionStarted(execution.id().toString(), execution.tenantId().toString(), execution.workflow(),
                execution.version(), execution.channel(), execution.sessionId(),
                parentId == null ? null : parentId.toString(), startedAt);
    }

    @Override
    public String aggregateId() {
        return executionId;
    }
}
