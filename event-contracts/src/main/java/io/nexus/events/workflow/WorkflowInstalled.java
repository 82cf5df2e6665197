package io.nexus.events.workflow;

import java.time.Instant;

import io.nexus.events.EventPayload;

/**
 * A marketplace install completed: the item's version {@code itemVersion} is the tenant's workflow {@code workflow}
 * (version 1 when it was created by this install). Also the answer to an install delivered again.
 */
public record WorkflowInstalled(String tenantId, String workflow, String installId, String itemId,
        String itemVersion, Instant installedAt) implements EventPayload {

    @Override
    public String aggregateId() {
        return tenantId + "/" + workflow;
    }
}
