package io.nexus.events.tenant;

import java.time.Instant;

import io.nexus.events.EventPayload;

public record TenantCreated(String tenantId, String name, String plan, String status, Quotas quotas,
        Instant createdAt) implements EventPayload {

    @Override
    public String aggregateId() {
        return tenantId;
    }
}
