package io.nexus.events.session;

import java.time.Instant;

import io.nexus.events.EventPayload;

public record SessionClosed(String sessionId, String tenantId, Instant closedAt) implements EventPayload {

    @Override
    public String aggregateId() {
        return sessionId;
    }
}
