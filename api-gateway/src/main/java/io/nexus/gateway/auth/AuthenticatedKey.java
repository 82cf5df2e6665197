package io.nexus.gateway.auth;

import java.time.Instant;

import io.nexus.common.identity.Role;
import io.nexus.events.tenant.Quotas;

/**
 * What tenant-service said about a key: whose it is, its role, and the state and quotas of its tenant. Cached for at
 * most 30 s; the expiry is checked on every request, so a key stops working the moment it expires.
 */
public record AuthenticatedKey(String keyId, String tenantId, Role role, boolean tenantSuspended, Quotas quotas,
        Instant expiresAt) {

    public boolean expiredAt(Instant now) {
        return expiresAt != null && !expiresAt.isAfter(now);
    }
}
