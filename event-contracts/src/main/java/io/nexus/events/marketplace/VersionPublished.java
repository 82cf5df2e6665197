package io.nexus.events.marketplace;

import java.time.Instant;

import io.nexus.events.EventPayload;

public record VersionPublished(String itemId, String tenantId, String version, int workflowVersion,
        Instant publishedAt) implements EventPayload {

    @Override
    public String aggregateId() {
        return itemId;
    }
}
