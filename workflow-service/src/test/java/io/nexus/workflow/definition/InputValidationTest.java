package io.nexus.workflow.definition;

import static io.nexus.workflow.definition.Definitions.error;
import static io.nexus.workflow.definition.Definitions.json;
import static io.nexus.workflow.definition.Definitions.minimal;
import static io.nexus.workflow.definition.Definitions.workflow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.nexus.common.problem.FieldError;

class InputValidationTest {

    private static CompiledWorkflow withSchema(String schema) {
        ObjectNode definition = minimal();
        definition.set("inputSchema", json(schema));
        return workflow(definition);
    }

    private static final String ORDER_SCHEMA = """
            {"type": "object",
             "properties": {
               "x": {"type": "integer", "minimum": 1},
               "email": {"type": "string", "pattern": "^[^@]+@[^@]+$"},
               "items": {"type": "array", "items": {"$ref": "#/$defs/item"}}},
             "required": ["x", "email"],
             "$defs": {"item": {"type": "object", "properties": {"sku": {"type": "string"}}, "required": ["sku"]}}}
            """;

    @Test
    void acceptsAnyObjectWithoutASchema() {
        CompiledWorkflow workflow = workflow(minimal());
        assertEquals(List.of(), workflow.validateInputs(json("{}")));
        assertEquals(List.of(), workflow.validateInputs(json("{\"anything\": [1, {\"goes\": null}]}")));
    }

    @Test
    void requiresInputsToBeAnObject() {
        CompiledWorkflow workflow = workflow(minimal());
        assertEquals(List.of(error("inputs", "must be an object, got an array")), workflow.validateInputs(json("[1]")));
        assertEquals(List.of(error("inputs", "must be an object, got null")), workflow.validateInputs(null));
    }

    @Test
    void boundsTheInputSize() {
        ObjectNode big = json("{}").deepCopy();
        big.put("blob", "b".repeat(300_000));
        assertEquals(List.of(error("inputs", "is 300,011 bytes serialized, the limit is 262,144")),
                workflow(minimal()).validateInputs(big));
    }

    @Test
    void acceptsConformingInputs() {
        assertEquals(List.of(), withSchema(ORDER_SCHEMA).validateInputs(
                json("{\"x\": 3, \"email\": \"a@b.c\", \"items\": [{\"sku\": \"k1\"}]}")));
    }

    @Test
    void reportsAWrongTypeQuotingTheValue() {
        assertEquals(List.of(error("inputs.x", "'3': string found, integer expected")),
                withSchema(ORDER_SCHEMA).validateInputs(json("{\"x\": \"3\", \"email\": \"a@b.c\"}")));
    }

    @Test
    void reportsAMissingRequiredField() {
        assertEquals(List.of(error("inputs.email", "is required")),
                withSchema(ORDER_SCHEMA).validateInputs(json("{\"x\": 3}")));
    }

    @Test
    void reportsEveryProblemAtOnce() {
        List<FieldError> errors = withSchema(ORDER_SCHEMA).validateInputs(
                json("{\"x\": 0, \"email\": \"nobody\", \"items\": [{\"sku\": \"k1\"}, {\"sku\": 7}, {}]}"));
        assertEquals(List.of("inputs.email", "inputs.items[1].sku", "inputs.items[2].sku", "inputs.x"),
                errors.stream().map(FieldError::field).sorted().toList());
        assertTrue(errors.contains(error("inputs.items[2].sku", "is required")), errors.toString());
        assertTrue(errors.contains(error("inputs.items[1].sku", "7: integer found, string expected")),
                errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.field().equals("inputs.x") && e.message().startsWith("0: ")),
                errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.field().equals("inputs.email")
                && e.message().startsWith("'nobody': ")), errors.toString());
    }

    @Test
    void reportsFieldsTheSchemaDoesNotAllow() {
        CompiledWorkflow workflow = withSchema(
                "{\"type\": \"object\", \"properties\": {\"x\": {}}, \"additionalProperties\": false}");
        assertEquals(List.of(error("inputs.y", "unknown field")), workflow.validateInputs(json("{\"x\": 1, \"y\": 2}")));
    }

    @Test
    void runsPatternsInLinearTime() {
        // (a+)+$ backtracks exponentially on a backtracking engine; RE2 answers at once.
        CompiledWorkflow workflow = withSchema(
                "{\"type\": \"object\", \"properties\": {\"s\": {\"type\": \"string\", \"pattern\": \"^(a+)+$\"}}}");
        long start = System.nanoTime();
        List<FieldError> errors = workflow.validateInputs(json("{\"s\": \"" + "a".repeat(5_000) + "!\"}"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(1, errors.size());
        assertEquals("inputs.s", errors.get(0).field());
        assertTrue(millis < 1_000, millis + " ms");
    }
}
