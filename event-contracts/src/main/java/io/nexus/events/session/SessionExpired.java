package io.nexus.events.session;

import java.time.Instant;

import io.nexus.events.EventPayload;

public record SessionExpired(String sessionId, String tenantId, Instant expiredAt) implements EventPayload {

    @Override
    public String aggregateId() {
        return sessionId;
    }
}
