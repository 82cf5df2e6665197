package io.nexus.workflow.definition;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.nexus.common.problem.FieldError;
import io.nexus.workflow.expression.ExpressionEngine;
import io.nexus.workflow.expression.ExpressionLimits;

/** Shared fixtures: one parser, JSON helpers, and a small valid definition to break one rule at a time. */
final class Definitions {

    static final ObjectMapper JSON = new ObjectMapper();
    static final DefinitionParser PARSER = new DefinitionParser(new ExpressionEngine(ExpressionLimits.DEFAULTS));

    private Definitions() {
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text.replace('`', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    static ObjectNode object(String text) {
        return (ObjectNode) json(text);
    }

    /** Two nodes and an edge; tests change one thing in it. Backquotes stand for double quotes. */
    static ObjectNode minimal() {
        return object("""
                {`name`: `order-intake`,
                 `nodes`: [{`id`: `double`, `type`: `transform`, `config`: {`expression`: `{'y': inputs.x * 2}`}},
                           {`id`: `check`, `type`: `condition`, `config`: {`expression`: `nodes.double.y > 10`}}],
                 `edges`: [{`from`: `double`, `to`: `check`}]}
                """);
    }

    static ObjectNode node(ObjectNode definition, int index) {
        return (ObjectNode) definition.withArray("nodes").get(index);
    }

    static ObjectNode config(ObjectNode definition, int index) {
        return (ObjectNode) node(definition, index).get("config");
    }

    static List<FieldError> errors(JsonNode definition) {
        ParsedDefinition parsed = PARSER.parse(definition);
        return parsed.errors();
    }

    static CompiledWorkflow workflow(JsonNode definition) {
        ParsedDefinition parsed = PARSER.parse(definition);
        if (!parsed.valid()) {
            throw new AssertionError("expected a valid definition, got " + parsed.errors());
        }
        return parsed.workflow();
    }

    static FieldError error(String field, String message) {
        return new FieldError(field, message);
    }
}
