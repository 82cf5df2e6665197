package io.nexus.tenant.rest.dto;

import java.time.Instant;

import io.nexus.events.tenant.Quotas;

/** What the gateway needs to admit a request made with a key: who it is, in which state, under which quotas. */
public record ResolvedKey(String keyId, String tenantId, String role, String tenantStatus, Quotas quotas,
        Instant expiresAt) {
}
