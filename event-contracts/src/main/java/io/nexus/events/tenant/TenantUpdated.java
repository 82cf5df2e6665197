package io.nexus.events.tenant;

import java.time.Instant;

import io.nexus.events.EventPayload;

/** Name, plan, status or quotas changed; carries the whole new state so projections need no lookup. */
public record TenantUpdated(String tenantId, String name, String plan, String status, Quotas quotas,
        Instant updatedAt) implements EventPayload {

    @Override
    public String aggregateId() {
        return tenantId;
    }
}
