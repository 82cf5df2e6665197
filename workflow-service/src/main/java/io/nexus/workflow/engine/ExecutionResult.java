package io.nexus.workflow.engine;

import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import io.nexus.workflow.domain.ExecutionError;
import io.nexus.workflow.domain.ExecutionStatus;

/** How an execution ended, as a sync start answers it. */
public record ExecutionResult(UUID executionId, ExecutionStatus status, JsonNode outputs, ExecutionError error,
        long durationMs) {
}
