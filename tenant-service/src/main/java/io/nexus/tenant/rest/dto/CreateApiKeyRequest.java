package io.nexus.tenant.rest.dto;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import io.nexus.common.validation.CodePointLength;
import io.nexus.tenant.domain.KeyRole;

/** {@code POST /api/v1/tenants/{id}/api-keys}; without {@code expiresInDays} the key does not expire. */
public record CreateApiKeyRequest(
        @NotNull @CodePointLength(max = 100) @Pattern(regexp = ".*\\S.*", message = "must not be blank") String name,
        @NotNull KeyRole role,
        @Min(1) @Max(3650) Integer expiresInDays) {
}
