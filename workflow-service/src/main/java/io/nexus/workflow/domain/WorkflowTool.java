package io.nexus.workflow.domain;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A live workflow as an MCP tool shows it: its name, description and its latest version's {@code inputSchema} (null
 * when the definition has none).
 */
public record WorkflowTool(String name, String description, JsonNode inputSchema) {
}
