package io.nexus.session.rest.dto;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;

/** A session (docs/api.md §4.5); {@code data} is written as stored, never re-parsed. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record SessionView(String id, String tenantId, String userId, List<String> channels,
        @JsonRawValue String data, Instant createdAt, Instant lastActivity, Instant expiresAt) {
}
