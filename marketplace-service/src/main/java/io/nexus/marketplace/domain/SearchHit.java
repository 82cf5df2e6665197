package io.nexus.marketplace.domain;

/**
 * An item a search found, with its numbers, and the passages of its summary and description that match the query
 * (matched words between {@code **}); {@code snippet} is null without a query text.
 */
public record SearchHit(Item item, ItemStats stats, String snippet) {
}
