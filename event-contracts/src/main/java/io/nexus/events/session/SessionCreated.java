package io.nexus.events.session;

import java.time.Instant;

import io.nexus.events.EventPayload;

public record SessionCreated(String sessionId, String tenantId, String userId, String channel, Instant createdAt,
        Instant expiresAt) implements EventPayload {

    @Override
    public String aggregateId() {
        return sessionId;
    }
}
