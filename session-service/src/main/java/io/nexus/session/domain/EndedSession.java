package io.nexus.session.domain;

import java.time.Instant;

/** A session that has just ended (closed or expired), for the event that says so. */
public record EndedSession(String id, String tenantId, Instant endedAt) {
}
