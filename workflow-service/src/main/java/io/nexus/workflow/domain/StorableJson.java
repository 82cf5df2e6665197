package io.nexus.workflow.domain;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Whether PostgreSQL can store a JSON value in a {@code jsonb} (or text) column: it cannot hold the character U+0000
 * anywhere, in a string or in a key (SQLSTATE 22P05). Values are checked where they enter an execution (expression
 * results, http responses) so the node fails there, instead of the commit that would write them failing forever.
 */
public final class StorableJson {

    /** Why a value is refused, for error messages. */
    public static final String NUL_REASON = "contains the character U+0000 (NUL), which cannot be stored";

    private StorableJson() {
    }

    public static boolean storable(String text) {
        return text == null || text.indexOf('\u0000') < 0;
    }

    /** Walks the value without recursion (results may nest deeply). */
    public static boolean storable(JsonNode value) {
        if (value == null) {
            return true;
        }
        ArrayDeque<JsonNode> pending = new ArrayDeque<>();
        pending.push(value);
        while (!pending.isEmpty()) {
            JsonNode node = pending.pop();
            if (node.isTextual()) {
                if (!storable(node.textValue())) {
                    return false;
                }
            } else if (node.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext();) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    if (!storable(field.getKey())) {
                        return false;
                    }
                    pending.push(field.getValue());
                }
            } else if (node.isArray()) {
                node.forEach(pending::push);
            }
        }
        return true;
    }
}
