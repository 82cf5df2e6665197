package io.nexus.marketplace.rest.dto;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An item (docs/api.md §4.6): what its publisher wrote, {@code publisher} (the publishing tenant's id), the workflow
 * it was taken from, its latest installable version (null when every version is yanked), its numbers and every
 * version, highest first.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ItemView(String id, String name, String summary, String description, List<String> categories,
        List<String> tags, String license, String publisher, String workflow, String latestVersion, StatsView stats,
        List<VersionView> versions, Instant createdAt, Instant updatedAt) {
}
