package io.nexus.workflow.rest.dto;

import java.time.Instant;

import io.nexus.workflow.domain.ExecutionError;

/** An execution as lists show it: no inputs, outputs or steps, which only its own read returns. */
public record ExecutionSummaryView(String id, String workflow, int version, String status, String channel,
        String sessionId, ExecutionError error, Instant createdAt, Instant finishedAt) {
}
