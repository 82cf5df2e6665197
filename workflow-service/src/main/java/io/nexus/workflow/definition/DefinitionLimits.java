package io.nexus.workflow.definition;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

import io.nexus.common.problem.FieldError;

/**
 * The size limits checked before anything of a definition is read or compiled (docs/api.md §5.10): how many nodes
 * and edges, and its serialized size. Cheap to check, and a definition over any of them is refused whole.
 */
final class DefinitionLimits {

    private DefinitionLimits() {
    }

    /** Each limit the definition is over, empty when none. */
    static List<FieldError> oversized(JsonNode body) {
        List<FieldError> errors = new ArrayList<>();
        count(body.get("nodes"), "nodes", "nodes", DefinitionRules.MAX_NODES, errors);
        count(body.get("edges"), "edges", "edges", DefinitionRules.MAX_EDGES, errors);
        if (errors.isEmpty()) {
            int bytes = body.toString().getBytes(StandardCharsets.UTF_8).length;
            if (bytes > DefinitionRules.MAX_DEFINITION_BYTES) {
                errors.add(new FieldError("", String.format(Locale.ROOT,
                        "is %,d bytes serialized, the limit is %,d", bytes, DefinitionRules.MAX_DEFINITION_BYTES)));
            }
        }
        return errors;
    }

    private static void count(JsonNode array, String field, String what, int limit, List<FieldError> errors) {
        if (array != null && array.isArray() && array.size() > limit) {
            errors.add(new FieldError(field, String.format(Locale.ROOT, "has %,d %s, the limit is %,d",
                    array.size(), what, limit)));
        }
    }
}
