package io.nexus.marketplace.rest.dto;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import io.nexus.common.validation.CodePointLength;

/** {@code POST} and {@code PUT /api/v1/marketplace/items/{id}/reviews}: a rating 1–5 and an optional comment. */
public record ReviewRequest(@NotNull @Min(1) @Max(5) Integer rating, @CodePointLength(max = 2000) String comment) {
}
