package io.nexus.marketplace.rest.dto;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One version of an item in listings: a yanked version stays listed but is never installed. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record VersionView(String version, int workflowVersion, boolean yanked, Instant publishedAt,
        Instant yankedAt) {
}
