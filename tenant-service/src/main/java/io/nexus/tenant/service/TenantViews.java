package io.nexus.tenant.service;

import jakarta.enterprise.context.ApplicationScoped;

import io.nexus.tenant.domain.ApiKey;
import io.nexus.tenant.domain.Tenant;
import io.nexus.tenant.rest.dto.ApiKeyView;
import io.nexus.tenant.rest.dto.TenantView;

/** Entities to their API representations; entities never leave the service layer. */
@ApplicationScoped
public class TenantViews {

    private final Plans plans;

    public TenantViews(Plans plans) {
        this.plans = plans;
    }

    public TenantView of(Tenant tenant) {
        return new TenantView(tenant.id.toString(), tenant.name, tenant.status.wire(), tenant.plan,
                plans.effective(tenant), tenant.createdAt, tenant.updatedAt);
    }

    public ApiKeyView of(ApiKey key) {
        return new ApiKeyView(key.id.toString(), key.name, key.prefix, key.role.wire(), key.createdAt, key.expiresAt,
                key.revokedAt);
    }
}
