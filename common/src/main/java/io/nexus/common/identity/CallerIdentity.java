package io.nexus.common.identity;

import io.nexus.common.http.Channel;

/**
 * The caller of a request as the gateway established it and forwards it in {@code X-Nexus-Identity} (docs/api.md §2).
 *
 * @param tenantId  the caller's tenant; null for the platform admin and for service calls
 * @param role      the caller's role
 * @param keyId     the API key used; null for the platform admin and for service calls
 * @param channel   api, cli or mcp
 * @param sessionId the unified session the request belongs to, if any
 * @param requestId the request id, for logs across services
 */
public record CallerIdentity(String tenantId, Role role, String keyId, Channel channel, String sessionId,
        String requestId) {

    public boolean isPlatformAdmin() {
        return role == Role.PLATFORM_ADMIN;
    }

    public boolean isService() {
        return role == Role.SERVICE;
    }

    /** Whether this caller acts for {@code tenant} (the platform admin acts for every tenant). */
    public boolean actsFor(String tenant) {
        return isPlatformAdmin() || (tenantId != null && tenantId.equals(tenant));
    }
}
