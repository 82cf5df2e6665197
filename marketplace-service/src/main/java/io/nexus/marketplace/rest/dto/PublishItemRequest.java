package io.nexus.marketplace.rest.dto;

import java.util.List;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import io.nexus.common.validation.CodePointLength;

/**
 * {@code POST /api/v1/marketplace/items}: publishes version {@code version} (default the latest) of the caller's
 * workflow {@code workflow} as a new item at version 1.0.0. Categories must be configured ones and the license an
 * SPDX id on the list; those checks, and duplicates, are made beside these constraints (rest.MarketplaceRequests).
 */
public record PublishItemRequest(
        @NotNull @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,62}", message = "must be a workflow name "
                + "([a-z0-9][a-z0-9-]{0,62})") String workflow,
        @Min(1) Integer version,
        @NotBlank @CodePointLength(max = 100) String name,
        @NotBlank @CodePointLength(max = 300) String summary,
        @CodePointLength(max = 10000) String description,
        @NotNull @Size(min = 1, max = 3) List<String> categories,
        @NotNull @Size(max = 10) List<@NotNull @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,31}",
                message = "must be a tag: 1–32 of a-z, 0-9 and '-', starting with a letter or digit") String> tags,
        @NotBlank String license) {
}
