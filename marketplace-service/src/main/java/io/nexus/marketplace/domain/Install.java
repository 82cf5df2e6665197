package io.nexus.marketplace.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * A tenant's install of a version of an item as its workflow {@code workflow}: {@code pending} until workflow-service
 * answers, then {@code completed} or {@code failed} (with its {@code reason}).
 */
public record Install(UUID id, UUID itemId, String version, UUID installer, String workflow, Status status,
        String reason, Instant createdAt, Instant updatedAt) {

    public enum Status {
        PENDING, COMPLETED, FAILED;

        /** As stored and shown: {@code pending}, {@code completed}, {@code failed}. */
        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Status ofWire(String value) {
            return valueOf(value.toUpperCase(java.util.Locale.ROOT));
        }
    }
}
