package io.nexus.workflow.domain;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import io.nexus.events.execution.ExecutionAggregate;

/** An execution row; its execution events are built from it ({@link ExecutionAggregate}). */
public record ExecutionRecord(UUID id, UUID tenantId, String workflow, UUID workflowVersionId, int version,
        ExecutionStatus status, ExecutionMode mode, String channel, String sessionId, JsonNode inputs,
        JsonNode outputs, ExecutionError error, Instant deadlineAt, Instant createdAt, Instant startedAt,
        Instant finishedAt) implements ExecutionAggregate {
}
