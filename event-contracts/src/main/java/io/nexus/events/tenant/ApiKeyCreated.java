package io.nexus.events.tenant;

import java.time.Instant;

import io.nexus.events.EventPayload;

/** A key was issued. The key itself never leaves tenant-service; {@code prefix} is its visible part. */
public record ApiKeyCreated(String keyId, String tenantId, String role, String prefix, Instant expiresAt,
        Instant createdAt) implements EventPayload {

    /** Keyed by tenant, so that a tenant's key events stay in order with its other events. */
    @Override
    public String aggregateId() {
        return tenantId;
    }
}
