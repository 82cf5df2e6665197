package io.nexus.session.rest.dto;

import jakarta.validation.constraints.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.nexus.common.validation.CodePointLength;

/**
 * {@code POST /api/v1/sessions}: all optional. {@code userId} is the client's own name for the user (1–256 characters,
 * no control characters); {@code ttlSeconds} 1 to the tenant's maximum (default 1800); {@code data} a JSON object.
 */
public record CreateSessionRequest(
        @CodePointLength(min = 1, max = 256)
        @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters")
        String userId,
        Integer ttlSeconds,
        JsonNode data) {
}
