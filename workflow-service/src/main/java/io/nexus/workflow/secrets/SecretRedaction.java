package io.nexus.workflow.secrets;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Replaces the values of secrets with {@value #MASK} wherever they appear in text or JSON (keys included): what an
 * http node records, its response and its errors, never holds a secret a receiver echoed. Only verbatim copies are
 * found; a receiver that transforms a secret (encodes it, cuts it) is outside what this can see.
 */
public final class SecretRedaction {

    public static final String MASK = "***";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final List<String> values;

    private SecretRedaction(List<String> values) {
        this.values = values;
    }

    /** Longest first, so a secret that contains another is masked whole. */
    public static SecretRedaction of(Collection<String> secretValues) {
        return new SecretRedaction(secretValues.stream().filter(value -> !value.isEmpty()).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList());
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    public String text(String text) {
        if (text == null || values.isEmpty()) {
            return text;
        }
        String result = text;
        for (String value : values) {
            result = result.replace(value, MASK);
        }
        return result;
    }

    public JsonNode json(JsonNode node) {
        if (node == null || values.isEmpty()) {
            return node;
        }
        if (node.isTextual()) {
            String masked = text(node.textValue());
            return masked.equals(node.textValue()) ? node : JSON.textNode(masked);
        }
        if (node.isObject()) {
            ObjectNode copy = JSON.objectNode();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                copy.set(text(field.getKey()), json(field.getValue()));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JSON.arrayNode(node.size());
            node.forEach(element -> copy.add(json(element)));
            return copy;
        }
        return node;
    }
}
