package io.nexus.events.workflow;

import java.time.Instant;

import io.nexus.events.EventPayload;

/**
 * A marketplace install could not create the workflow: {@code reason} says why in words for the installer (the name
 * is taken, the {@code workflows} quota is used up, the definition is no longer valid).
 */
public record WorkflowInstallFailed(String tenantId, String workflow, String installId, String itemId,
        String itemVersion, String reason, Instant failedAt) implements EventPayload {

    @Override
    public String aggregateId() {
        return tenantId + "/" + workflow;
    }
}
