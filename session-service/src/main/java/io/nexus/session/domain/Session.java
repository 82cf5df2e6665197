package io.nexus.session.domain;

import java.time.Instant;
import java.util.List;

/**
 * A session as clients see it (docs/api.md §4.5), from Redis (live) or PostgreSQL (the durable record).
 *
 * @param data    the data object's JSON text, exactly as stored
 * @param version the data's version: the ETag, grows with every change of data
 */
public record Session(String id, String tenantId, String userId, List<String> channels, String data, long version,
        int ttlSeconds, Instant createdAt, Instant lastActivity, Instant expiresAt) {
}
