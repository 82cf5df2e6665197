package io.nexus.marketplace.rest.dto;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An install: {@code status} {@code pending}, {@code completed} or {@code failed} (then {@code reason} says why). */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record InstallView(String installId, String itemId, String version, String workflow, String status,
        String reason, Instant createdAt, Instant updatedAt) {
}
