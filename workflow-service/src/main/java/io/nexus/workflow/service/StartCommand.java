package io.nexus.workflow.service;

import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.nexus.common.identity.CallerIdentity;
import io.nexus.workflow.config.WorkflowConfig;
import io.nexus.workflow.domain.ExecutionMode;
import io.nexus.workflow.rest.dto.StartExecutionRequest;

/** A validated start, with the caller's context. */
public record StartCommand(UUID tenant, String workflow, Integer version, JsonNode inputs, ExecutionMode mode,
        long waitMs, Long timeoutMs, String channel, String sessionId) {

    /**
     * The start a request asks for, with the defaults of docs/api.md §4 filled in: sync, empty inputs, and
     * {@code nexus.workflow.default-wait-ms}; a longer {@code waitMs} than {@code nexus.workflow.max-wait-ms} waits
     * that long only.
     */
    public static StartCommand of(UUID tenant, String workflow, StartExecutionRequest request, CallerIdentity caller,
            WorkflowConfig config) {
        ExecutionMode mode = request.mode() == null ? ExecutionMode.SYNC : request.mode();
        long waitMs = request.waitMs() == null ? config.defaultWaitMs()
                : Math.min(request.waitMs(), config.maxWaitMs());
        JsonNode inputs = request.inputs() == null ? JsonNodeFactory.instance.objectNode() : request.inputs();
        return new StartCommand(tenant, workflow, request.version(), inputs, mode, waitMs, request.timeoutMs(),
                caller.channel().label(), caller.sessionId());
    }
}
