package io.nexus.events.workflow;

import java.time.Instant;

import io.nexus.events.EventPayload;

/** A new immutable version of the definition was registered. */
public record WorkflowUpdated(String tenantId, String workflow, int version, Instant updatedAt)
        implements EventPayload {

    @Override
    public String aggregateId() {
        return tenantId + "/" + workflow;
    }
}
