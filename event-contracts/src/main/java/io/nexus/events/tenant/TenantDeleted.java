package io.nexus.events.tenant;

import java.time.Instant;

import io.nexus.events.EventPayload;

public record TenantDeleted(String tenantId, Instant deletedAt) implements EventPayload {

    @Override
    public String aggregateId() {
        return tenantId;
    }
}
