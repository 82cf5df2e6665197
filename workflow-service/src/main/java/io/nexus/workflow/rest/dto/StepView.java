package io.nexus.workflow.rest.dto;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

import io.nexus.workflow.domain.ExecutionError;

/**
 * A node's step, in an execution and as an event stream's {@code step} event (the same JSON in both): a node not
 * reached yet has no times, output or error, which are then null rather than absent.
 */
public record StepView(String node, String status, int attempts, Instant startedAt, Instant finishedAt,
        JsonNode output, ExecutionError error) {
}
