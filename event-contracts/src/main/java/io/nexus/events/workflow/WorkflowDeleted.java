package io.nexus.events.workflow;

import java.time.Instant;

import io.nexus.events.EventPayload;

public record WorkflowDeleted(String tenantId, String workflow, Instant deletedAt) implements EventPayload {

    @Override
    public String aggregateId() {
        return tenantId + "/" + workflow;
    }
}
