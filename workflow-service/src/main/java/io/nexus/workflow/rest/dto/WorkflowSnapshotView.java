package io.nexus.workflow.rest.dto;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One version of a workflow as other Nexus services copy it ({@code GET /internal/workflows/{name}/versions/{version}}):
 * the stored definition whole, as workflow-service validated it, {@code name} included.
 */
public record WorkflowSnapshotView(String name, int version, JsonNode definition) {
}
