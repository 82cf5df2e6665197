package io.nexus.tenant.rest.dto;

import java.time.Instant;

/** The answer to a key's creation, the only time the key itself is shown. */
public record CreatedApiKey(String id, String key, String prefix, String name, String role, Instant createdAt,
        Instant expiresAt) {
}
