package io.nexus.events.marketplace;

import java.time.Instant;

import io.nexus.events.EventPayload;

/** {@code tenantId} is the publisher. */
public record ItemPublished(String itemId, String tenantId, String name, String version, String workflow,
        int workflowVersion, Instant publishedAt) implements EventPayload {

    @Override
    public String aggregateId() {
        return itemId;
    }
}
