package io.nexus.events.tenant;

import java.time.Instant;

import io.nexus.events.EventPayload;

public record ApiKeyRevoked(String keyId, String tenantId, Instant revokedAt) implements EventPayload {

    @Override
    public String aggregateId() {
        return tenantId;
    }
}
