package io.nexus.events.session;

import java.time.Instant;
import java.util.List;

import io.nexus.events.EventPayload;

/** Channels or expiry changed; never the session's data. */
public record SessionUpdated(String sessionId, String tenantId, List<String> channels, Instant lastActivity,
        Instant expiresAt) implements EventPayload {

    @Override
    public String aggregateId() {
        return sessionId;
    }
}
