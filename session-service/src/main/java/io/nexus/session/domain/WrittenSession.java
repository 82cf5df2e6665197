package io.nexus.session.domain;

import java.time.Instant;
import java.util.List;

/**
 * A session as the write-behind left its durable record.
 *
 * @param changed whether its channels or data changed since the record was last written (worth an update event)
 */
public record WrittenSession(String id, String tenantId, List<String> channels, Instant lastActivity,
        Instant expiresAt, boolean changed) {
}
