package io.nexus.workflow.domain;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/** One immutable version of a workflow, with the workflow's own timestamps for views. */
public record WorkflowVersionRecord(UUID workflowId, UUID versionId, String name, int version, int latestVersion,
        JsonNode definition, Instant workflowCreatedAt, Instant versionCreatedAt) {
}
