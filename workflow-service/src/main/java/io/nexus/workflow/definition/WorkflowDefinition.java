package io.nexus.workflow.definition;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A validated workflow definition (docs/api.md §5). Built only by {@link DefinitionParser}, so every instance is
 * well-formed: ids unique, edges between existing nodes, acyclic, configs valid for their node types.
 *
 * @param timeoutMs   the execution deadline when a start gives none; null = the platform default (1 h)
 * @param inputSchema the JSON Schema inputs must satisfy; null = any object
 * @param output      CEL over inputs and node results; null = map of the completed leaf nodes' outputs
 * @param events      whether executions publish {@code nexus.execution.step.completed} events
 */
public record WorkflowDefinition(String name, String description, Long timeoutMs, JsonNode inputSchema,
        List<NodeDefinition> nodes, List<EdgeDefinition> edges, String output, StepEvents events) {

    public WorkflowDefinition {
        nodes = List.copyOf(nodes);
        edges = List.copyOf(edges);
        events = events == null ? StepEvents.NONE : events;
    }
}
