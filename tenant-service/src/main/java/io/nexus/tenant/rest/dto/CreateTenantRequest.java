package io.nexus.tenant.rest.dto;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import io.nexus.common.validation.CodePointLength;
import io.nexus.tenant.service.KnownPlan;

/** {@code POST /api/v1/tenants}: name 1–100 characters, unique; plan defaults to standard. */
public record CreateTenantRequest(
        @NotNull @CodePointLength(max = 100) @Pattern(regexp = ".*\\S.*", message = "must not be blank") String name,
        @KnownPlan String plan,
        @Valid QuotaOverrides quotas) {
}
