package io.nexus.workflow.definition;

import java.util.List;
import java.util.function.BooleanSupplier;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.nexus.common.problem.FieldError;
import io.nexus.workflow.expression.ExpressionEngine;

/**
 * Turns a submitted (or stored) workflow definition into a {@link CompiledWorkflow}, or into the complete list of
 * what is wrong with it (docs/api.md §3, §5): every field, node, edge and expression is checked and every problem
 * reported at once, each under its path and quoting the offending value.
 *
 * <p>Reads JSON trees rather than bound objects: Jackson binding coerces ({@code 123} into a string) and stops at the
 * first problem, and the contract wants neither. Thread-safe and stateless between calls.
 */
@ApplicationScoped
public class DefinitionParser {

    private final ExpressionEngine engine;

    public DefinitionParser(ExpressionEngine engine) {
        this.engine = engine;
    }

    /**
     * @param body the definition; anything but a JSON object yields a single error on the root path {@code ""}
     *             (the REST layer answers 400 for those, 422 for every other problem)
     */
    public ParsedDefinition parse(JsonNode body) {
        return parse(body, () -> false);
    }

    /**
     * @param cancelled asked before each expression is compiled: once true, parsing stops with a
     *                  {@link java.util.concurrent.CancellationException} (the client that asked is gone)
     */
    public ParsedDefinition parse(JsonNode body, BooleanSupplier cancelled) {
        if (body == null || !body.isObject()) {
            return ParsedDefinition.invalid(List.of(new FieldError("",
                    "a workflow definition must be a JSON object, got " + JsonText.describe(body))));
        }
        return new DefinitionReading(engine, body, cancelled).read();
    }
}
