package io.nexus.tenant.rest.dto;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** {@code POST /internal/api-keys/resolve}: the gateway sends the key's SHA-256 (hex), never the key itself. */
public record ResolveKeyRequest(@NotNull @Pattern(regexp = "[0-9a-f]{64}", message = "must be 64 hex digits") String sha256) {
}
