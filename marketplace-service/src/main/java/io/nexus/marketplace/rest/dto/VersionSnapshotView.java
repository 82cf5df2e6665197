package io.nexus.marketplace.rest.dto;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/** One version with the definition it snapshots ({@code http} header values stripped). */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record VersionSnapshotView(String itemId, String version, int workflowVersion, boolean yanked,
        Instant publishedAt, Instant yankedAt, JsonNode definition) {
}
