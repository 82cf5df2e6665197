package io.nexus.session.rest.dto;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An execution started in the session: its id (read it at {@code /api/v1/executions/{id}}), workflow, channel, and
 * status as the session last heard it ({@code running}, then {@code completed|failed|cancelled}).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record SessionExecutionView(String id, String workflow, int version, String channel,
        String parentExecutionId, String status, Instant startedAt, Instant finishedAt) {
}
