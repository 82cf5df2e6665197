package io.nexus.events.marketplace;

import java.time.Instant;

import io.nexus.events.EventPayload;

/** {@code tenantId} is the reviewer; the comment stays in the marketplace. */
public record ItemReviewed(String itemId, String reviewId, String tenantId, int rating, Instant reviewedAt)
        implements EventPayload {

    @Override
    public String aggregateId() {
        return itemId;
    }
}
