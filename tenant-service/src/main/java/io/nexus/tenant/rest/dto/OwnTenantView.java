package io.nexus.tenant.rest.dto;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

/**
 * {@code GET /api/v1/tenant}: the caller's tenant, with who the caller is within it, so that a client (the web console,
 * the CLI) can offer what the key's role allows without probing for it.
 */
public record OwnTenantView(@JsonUnwrapped TenantView tenant, Caller caller) {

    /** The key that made the call: its id and role (the key itself is never shown again). */
    public record Caller(String keyId, String role) {
    }
}
