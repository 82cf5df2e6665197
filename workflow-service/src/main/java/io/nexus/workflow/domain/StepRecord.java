package io.nexus.workflow.domain;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/** A node's step as stored and shown: one per node of the definition once the execution has decided it. */
public record StepRecord(String node, int position, StepStatus status, int attempts, Instant startedAt,
        Instant finishedAt, JsonNode output, ExecutionError error) {
}
