package io.nexus.workflow.definition;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Copies Quarkus's Jackson 2 trees into the Jackson 3 trees json-schema-validator 3.x reads. A tree walk rather
 * than a serialize-and-parse round trip, so numbers keep their exact kind (an integer stays an integer).
 */
final class Jackson3 {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Jackson3() {
    }

    static tools.jackson.databind.JsonNode copy(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return NODES.nullNode();
        }
        switch (node.getNodeType()) {
            case OBJECT: {
                ObjectNode object = NODES.objectNode();
                for (Map.Entry<String, JsonNode> field : node.properties()) {
                    object.set(field.getKey(), copy(field.getValue()));
                }
                return object;
            }
            case ARRAY: {
                ArrayNode array = NODES.arrayNode(node.size());
                for (JsonNode element : node) {
                    array.add(copy(element));
                }
                return array;
            }
            case STRING:
                return NODES.stringNode(node.textValue());
            case BOOLEAN:
                return NODES.booleanNode(node.booleanValue());
            case NUMBER:
                return number(node);
            default:
                return NODES.stringNode(node.asText());
        }
    }

    private static tools.jackson.databind.JsonNode number(JsonNode node) {
        if (node.isInt() || node.isShort()) {
            return NODES.numberNode(node.intValue());
        }
        if (node.isLong()) {
            return NODES.numberNode(node.longValue());
        }
        if (node.isBigInteger()) {
            return NODES.numberNode(node.bigIntegerValue());
        }
        if (node.isBigDecimal()) {
            return NODES.numberNode(node.decimalValue());
        }
        if (node.isFloat()) {
            return NODES.numberNode(node.floatValue());
        }
        return NODES.numberNode(node.doubleValue());
    }
}
