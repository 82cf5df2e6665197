package io.nexus.marketplace.rest.dto;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An item in search results: as {@link ItemView} without the description and the versions, plus {@code snippet}, the
 * passages of summary and description that match the query with the matched words between {@code **} (null without
 * {@code q}).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ItemSummaryView(String id, String name, String summary, List<String> categories, List<String> tags,
        String license, String publisher, String latestVersion, StatsView stats, String snippet, Instant createdAt,
        Instant updatedAt) {
}
