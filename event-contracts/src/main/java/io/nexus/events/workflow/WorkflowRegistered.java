package io.nexus.events.workflow;

import java.time.Instant;

import io.nexus.events.EventPayload;

public record WorkflowRegistered(String tenantId, String workflow, int version, Instant registeredAt)
        implements EventPayload {

    /** Workflow names are unique per tenant only, so the aggregate is the pair. */
    @Override
    public String aggregateId() {
        return tenantId + "/" + workflow;
    }
}
