package io.nexus.workflow.domain;

import java.time.Instant;
import java.util.UUID;

/** A live workflow as lists show it. */
public record WorkflowSummary(UUID id, String name, String description, int latestVersion, Instant createdAt,
        Instant updatedAt) {
}
