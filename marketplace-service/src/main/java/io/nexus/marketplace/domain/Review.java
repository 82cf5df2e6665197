package io.nexus.marketplace.domain;

import java.time.Instant;
import java.util.UUID;

/** One tenant's review of an item; {@code verified} once the reviewer's tenant has installed the item. */
public record Review(UUID id, UUID itemId, UUID reviewer, int rating, String comment, boolean verified,
        Instant createdAt, Instant updatedAt) {
}
