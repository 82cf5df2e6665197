package io.nexus.workflow.definition;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.nexus.common.problem.FieldError;
import io.nexus.workflow.expression.CompiledExpression;
import io.nexus.workflow.expression.EvaluationContext;
import io.nexus.workflow.expression.ExpressionFailure;

/**
 * Credentials written into a definition: an http node header that carries credentials ({@code Authorization},
 * {@code X-Api-Key}...) whose expression reads no variable and yields a non-empty string ({@code "'Bearer sk-…'"}).
 * A definition is readable by every viewer of the tenant (and published ones by everybody), so registration refuses
 * it and points to tenant secrets ({@code secrets.NAME}). Checked when a definition is registered or changed, not
 * when a stored one is compiled again, so versions stored before the rule still run.
 */
public final class CredentialHeaders {

    static final Set<String> NAMES = Set.of("authorization", "proxy-authorization", "x-api-key", "api-key", "apikey",
            "x-auth-token", "x-access-token", "private-token");

    private CredentialHeaders() {
    }

    /** One error per credential header value written in the definition, at {@code nodes[i].config.headers.<name>}. */
    public static List<FieldError> inDefinition(CompiledWorkflow workflow) {
        List<FieldError> errors = new ArrayList<>();
        List<NodeDefinition> nodes = workflow.definition().nodes();
        for (int i = 0; i < nodes.size(); i++) {
            NodeDefinition node = nodes.get(i);
            if (node.type() != NodeType.HTTP) {
                continue;
            }
            for (Map.Entry<String, CompiledExpression> header : workflow.headerExpressions(node.id()).entrySet()) {
                if (NAMES.contains(header.getKey().toLowerCase(Locale.ROOT)) && literal(header.getValue())) {
                    errors.add(new FieldError(FieldPaths.child(FieldPaths.child(FieldPaths.child(
                            FieldPaths.index("nodes", i), "config"), "headers"), header.getKey()),
                            "must not contain a credential: store it with PUT /api/v1/secrets/{name} and write "
                                    + "secrets.NAME (for example 'Bearer ' + secrets.API_TOKEN)"));
                }
            }
        }
        return errors;
    }

    /** The value is in the definition: no variable read, and it is a non-empty string ({@code ''} is a placeholder). */
    private static boolean literal(CompiledExpression expression) {
        if (!expression.constant()) {
            return false;
        }
        try {
            JsonNode value = expression.evaluate(EvaluationContext.ofInputs(null));
            return value.isTextual() && !value.textValue().isBlank();
        } catch (ExpressionFailure e) {
            return false;
        }
    }
}
