package io.nexus.workflow.rest.dto;

import com.fasterxml.jackson.databind.JsonNode;

import io.nexus.workflow.domain.ExecutionError;

/**
 * How an execution ended: a sync start's 200 answer and an event stream's {@code end} event. {@code outputs} and
 * {@code error} are null, not absent, when the execution has none.
 */
public record ExecutionOutcomeView(String executionId, String status, JsonNode outputs, ExecutionError error,
        long durationMs) {
}
