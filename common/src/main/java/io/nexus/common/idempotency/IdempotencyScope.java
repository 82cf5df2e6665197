package io.nexus.common.idempotency;

import java.util.UUID;

import io.nexus.common.identity.CallerIdentity;

/**
 * What an {@code Idempotency-Key} is scoped to (docs/api.md §2.7): the tenant, the method and the route as requested
 * ({@code /api/v1/tenants/7f…/api-keys}, ids included), so that one key used on two routes or by two tenants names
 * two independent requests.
 */
public record IdempotencyScope(UUID tenant, String method, String route) {

    /**
     * The tenant of the platform admin's routes, which have none ({@code POST /api/v1/tenants}): a fixed id that no
     * tenant has (tenant ids are random UUIDs, never the nil UUID).
     */
    public static final UUID PLATFORM = new UUID(0L, 0L);

    public static IdempotencyScope post(UUID tenant, String route) {
        return new IdempotencyScope(tenant, "POST", route);
    }

    /** A POST by {@code caller}: its tenant's scope, or {@link #PLATFORM} for the platform admin. */
    public static IdempotencyScope post(CallerIdentity caller, String route) {
        return post(caller.isPlatformAdmin() || caller.tenantId() == null ? PLATFORM
                : UUID.fromString(caller.tenantId()), route);
    }
}
