package io.nexus.workflow.rest.dto;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A workflow as lists show it; {@code description} only when the latest version has one. */
public record WorkflowSummaryView(String name, @JsonInclude(JsonInclude.Include.NON_NULL) String description,
        int latestVersion, Instant createdAt, Instant updatedAt) {
}
