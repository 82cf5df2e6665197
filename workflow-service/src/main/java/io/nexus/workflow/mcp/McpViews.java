package io.nexus.workflow.mcp;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.modelcontextprotocol.spec.McpSchema;

/**
 * The services' views as MCP content, written by the application's ObjectMapper so that an execution or a session
 * reads exactly as the REST API shows it (the SDK then writes the plain maps and lists as they are).
 */
@ApplicationScoped
class McpViews {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final ObjectMapper mapper;

    McpViews(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    Map<String, Object> asMap(Object view) {
        return mapper.convertValue(view, MAP);
    }

    JsonNode asJson(Object value) {
        return mapper.valueToTree(value);
    }

    String asText(Object view) {
        try {
            return mapper.writeValueAsString(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a view could not be written as JSON", e);
        }
    }

    /** A successful tool result: the view as structured content, and the same JSON as text for older clients. */
    McpSchema.CallToolResult result(Object view) {
        return McpSchema.CallToolResult.builder().structuredContent(asMap(view)).addTextContent(asText(view))
                .isError(false).build();
    }

    /** A result the agent should treat as failed, with the view that says why (structured and as text). */
    McpSchema.CallToolResult failedResult(Object view) {
        return McpSchema.CallToolResult.builder().structuredContent(asMap(view)).addTextContent(asText(view))
                .isError(true).build();
    }
}
