package io.nexus.session.rest.dto;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A session in a list: no data (read the session for it); {@code status} is active, closed or expired. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record SessionSummaryView(String id, String userId, List<String> channels, String status,
        Instant createdAt, Instant lastActivity, Instant expiresAt, Instant endedAt) {
}
