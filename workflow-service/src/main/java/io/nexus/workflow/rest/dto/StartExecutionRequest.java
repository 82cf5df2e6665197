package io.nexus.workflow.rest.dto;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import com.fasterxml.jackson.databind.JsonNode;

import io.nexus.workflow.domain.ExecutionMode;

/**
 * {@code POST /api/v1/workflows/{name}/executions}. Without {@code inputs} the execution gets an empty object; without
 * {@code version} it runs the latest one. {@code waitMs} is for sync starts only.
 */
public record StartExecutionRequest(
        JsonNode inputs,
        ExecutionMode mode,
        @Min(1) Integer version,
        @Min(0) @Max(60000) Long waitMs,
        @Min(1) @Max(604_800_000L) Long timeoutMs) {
}
