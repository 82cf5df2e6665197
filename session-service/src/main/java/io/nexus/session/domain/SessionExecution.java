package io.nexus.session.domain;

import java.time.Instant;

/** An execution started in a session, as nexus.executions told this service about it. */
public record SessionExecution(String executionId, String workflow, int version, String channel,
        String parentExecutionId, String status, Instant startedAt, Instant finishedAt) {
}
