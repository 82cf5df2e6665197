package io.nexus.events.tenant;

import java.time.Instant;

import io.nexus.events.EventPayload;

public record TenantSuspended(String tenantId, Instant suspendedAt) implements EventPayload {

    @Override
    public String aggregateId() {
        return tenantId;
    }
}
