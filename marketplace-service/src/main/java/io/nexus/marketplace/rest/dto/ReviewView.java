package io.nexus.marketplace.rest.dto;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A review: {@code reviewer} is the reviewing tenant's id; {@code verified} once that tenant installed the item. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ReviewView(String id, String itemId, String reviewer, int rating, String comment, boolean verified,
        Instant createdAt, Instant updatedAt) {
}
