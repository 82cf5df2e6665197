package io.nexus.tenant.rest.dto;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;

import io.nexus.common.validation.CodePointLength;
import io.nexus.common.validation.Resettable;
import io.nexus.tenant.domain.TenantStatus;

/**
 * {@code PATCH /api/v1/tenants/{id}} as a JSON merge patch: name and status change when present; in {@code quotas},
 * a number overrides the plan and null returns that quota (or, for {@code "quotas": null}, all) to the plan default.
 */
public record TenantPatch(
        @CodePointLength(max = 100) @Pattern(regexp = ".*\\S.*", message = "must not be blank") String name,
        TenantStatus status,
        @Resettable @Valid QuotaOverrides quotas) {
}
