package io.nexus.session.domain;

import java.time.Instant;
import java.util.List;

/** A session in a list: its durable record without the data, which lists never carry. */
public record SessionSummary(String id, String userId, List<String> channels, boolean active, Instant createdAt,
        Instant lastActivity, Instant expiresAt, Instant endedAt, String endReason) {
}
