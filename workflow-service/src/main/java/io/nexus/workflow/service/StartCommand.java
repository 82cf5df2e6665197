package io.nexus.workflow.service;

import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import io.nexus.workflow.domain.ExecutionMode;

/** A validated start, with the caller's context. */
public record StartCommand(UUID tenant, String workflow, Integer version, JsonNode inputs, ExecutionMode mode,
        long waitMs, Long timeoutMs, String channel, String sessionId) {
}
