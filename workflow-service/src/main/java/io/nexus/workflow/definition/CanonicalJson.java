package io.nexus.workflow.definition;

import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A definition as stored and shown back: fixed field order, defaults written out ({@code edges}, {@code events},
 * {@code onError}, {@code retry.backoffMs}), absent optional fields left out. Parsing it again gives the same JSON,
 * so what a client reads back is exactly what runs.
 */
final class CanonicalJson {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private CanonicalJson() {
    }

    static ObjectNode of(WorkflowDefinition definition) {
        ObjectNode root = JSON.objectNode();
        root.put("name", definition.name());
        if (definition.description() != null) {
            root.put("description", definition.description());
        }
        if (definition.timeoutMs() != null) {
            root.set("timeoutMs", integer(definition.timeoutMs()));
        }
        if (definition.inputSchema() != null) {
            root.set("inputSchema", definition.inputSchema().deepCopy());
        }
        ArrayNode nodes = root.putArray("nodes");
        for (NodeDefinition node : definition.nodes()) {
            nodes.add(node(node));
        }
        ArrayNode edges = root.putArray("edges");
        for (EdgeDefinition edge : definition.edges()) {
            ObjectNode written = edges.addObject().put("from", edge.from()).put("to", edge.to());
            if (edge.when() != null) {
                written.put("when", edge.when());
            }
        }
        if (definition.output() != null) {
            root.put("output", definition.output());
        }
        root.put("events", wire(definition.events()));
        return root;
    }

    private static ObjectNode node(NodeDefinition node) {
        ObjectNode written = JSON.objectNode();
        written.put("id", node.id());
        written.put("type", node.type().wire());
        written.set("config", node.config().deepCopy());
        if (node.retry() != null) {
            ObjectNode retry = written.putObject("retry");
            retry.set("maxAttempts", integer(node.retry().maxAttempts()));
            retry.set("backoffMs", integer(node.retry().backoffMs()));
        }
        if (node.timeoutMs() != null) {
            written.set("timeoutMs", integer(node.timeoutMs()));
        }
        written.put("onError", wire(node.onError()));
        return written;
    }

    /**
     * The node Jackson parses the number into ({@code int} when it fits), so a stored definition read back from
     * text equals the one written.
     */
    static JsonNode integer(long number) {
        return number == (int) number ? JSON.numberNode((int) number) : JSON.numberNode(number);
    }

    static String wire(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
