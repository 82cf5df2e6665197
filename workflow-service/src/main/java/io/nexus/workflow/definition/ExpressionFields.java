package io.nexus.workflow.definition;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;

import dev.cel.common.types.CelKind;
import io.nexus.workflow.expression.CompiledExpression;
import io.nexus.workflow.expression.ExpressionCompileException;
import io.nexus.workflow.expression.ExpressionEngine;

/**
 * Compiles the CEL expressions of one definition. Besides compiling, it catches at registration what would
 * otherwise fail every execution: a result type that cannot be what the field needs ({@code "when": "1"}), and
 * {@code nodes.<id>} naming no node of the definition (a typo that {@code has()} would silently turn into a
 * never-taken branch).
 */
final class ExpressionFields {

    /** What a field needs its expression to yield; {@code dyn} results pass, being known only at run time. */
    enum Expecting {
        ANY(null, "any value"),
        BOOL(CelKind.BOOL, "a bool"),
        STRING(CelKind.STRING, "a string"),
        MAP(CelKind.MAP, "a map"),
        TIMESTAMP(CelKind.TIMESTAMP, "a timestamp");

        private final CelKind kind;
        private final String wording;

        Expecting(CelKind kind, String wording) {
            this.kind = kind;
            this.wording = wording;
        }
    }

    private final ExpressionEngine engine;
    private final Set<String> nodeIds;
    private final Violations violations;

    private final BooleanSupplier cancelled;
    private int compiled;

    /** @param cancelled asked before each compile: once true, the parse stops ({@link CancellationException}) */
    ExpressionFields(ExpressionEngine engine, Set<String> nodeIds, Violations violations, BooleanSupplier cancelled) {
        this.engine = engine;
        this.nodeIds = nodeIds;
        this.violations = violations;
        this.cancelled = cancelled;
    }

    /** The compiled expression, or null after reporting why there is none. */
    CompiledExpression compile(JsonNode value, String path, Expecting expecting) {
        return compile(value, path, expecting, false);
    }

    /** @param withSecrets whether {@code secrets} is declared: only for an http node's url, headers and body */
    CompiledExpression compile(JsonNode value, String path, Expecting expecting, boolean withSecrets) {
        if (!value.isTextual()) {
            violations.add(path, "must be a CEL expression string, got " + JsonText.describe(value));
            return null;
        }
        if (cancelled.getAsBoolean()) {
            throw new CancellationException("the definition's client is gone");
        }
        if (++compiled > DefinitionRules.MAX_EXPRESSIONS) {
            if (compiled == DefinitionRules.MAX_EXPRESSIONS + 1) {
                violations.add(path, String.format(Locale.ROOT, "is expression number %,d of the definition, the "
                        + "limit is %,d; it and the ones after it are not compiled", compiled,
                        DefinitionRules.MAX_EXPRESSIONS));
            }
            return null;
        }
        CompiledExpression expression;
        try {
            expression = withSecrets ? engine.compileWithSecrets(value.textValue()) : engine.compile(value.textValue());
        } catch (ExpressionCompileException e) {
            violations.add(path, "does not compile: " + e.getMessage());
            return null;
        }
        boolean valid = true;
        if (expecting.kind != null && !expression.mayYield(expecting.kind)) {
            violations.add(path, "must evaluate to " + expecting.wording + ", but its type is "
                    + expression.resultType());
            valid = false;
        }
        for (String unknown : new TreeSet<>(expression.referencedNodes())) {
            if (!nodeIds.contains(unknown)) {
                violations.add(path, "reads nodes." + unknown + ", but there is no node " + JsonText.quote(unknown));
                valid = false;
            }
        }
        return valid ? expression : null;
    }
}
