package io.nexus.workflow.rest.dto;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.nexus.workflow.domain.ExecutionError;

/**
 * {@code GET /executions/{id}} and the answer to a cancel: the execution with a step for every node of its version.
 * Fields without a value yet ({@code sessionId}, {@code outputs}, {@code error}, the times) are null, not absent.
 */
public record ExecutionView(String id, String workflow, int version, String status, String channel,
        String sessionId, JsonNode inputs, JsonNode outputs, ExecutionError error, List<StepView> steps,
        Instant createdAt, Instant startedAt, Instant finishedAt) {
}
