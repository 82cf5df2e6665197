package io.nexus.session.rest.dto;

import jakarta.validation.constraints.NotNull;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code PATCH /api/v1/sessions/{id}}: {@code data} is an RFC 7386 merge patch of the session's data (an object). */
public record PatchSessionRequest(@NotNull JsonNode data) {
}
