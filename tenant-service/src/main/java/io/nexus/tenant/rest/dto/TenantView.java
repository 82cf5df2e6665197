package io.nexus.tenant.rest.dto;

import java.time.Instant;

import io.nexus.events.tenant.Quotas;

/** A tenant as the API shows it; {@code quotas} are the effective ones (plan defaults with overrides applied). */
public record TenantView(String id, String name, String status, String plan, Quotas quotas, Instant createdAt,
        Instant updatedAt) {
}
