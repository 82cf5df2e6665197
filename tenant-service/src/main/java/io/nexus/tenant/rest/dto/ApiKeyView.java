package io.nexus.tenant.rest.dto;

import java.time.Instant;

/** A key as listed: never the key or its hash, only its visible prefix. */
public record ApiKeyView(String id, String name, String prefix, String role, Instant createdAt, Instant expiresAt,
        Instant revokedAt) {
}
