package io.nexus.workflow.definition;

import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/** Offending JSON values as messages quote them: {@code 'teleport'}, {@code number 123}, {@code an array}. */
final class JsonText {

    private static final int MAX_QUOTED = 80;

    private JsonText() {
    }

    static String quote(String text) {
        String shown = text.codePointCount(0, text.length()) > MAX_QUOTED
                ? text.substring(0, text.offsetByCodePoints(0, MAX_QUOTED)) + "…"
                : text;
        return "'" + shown.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n").replace("\r", "\\r")
                + "'";
    }

    /** The value with its JSON type, for "must be a string, got number 123". */
    static String describe(JsonNode value) {
        if (value == null) {
            return "null";
        }
        if (value.isMissingNode()) {
            return "nothing";
        }
        return switch (value.getNodeType()) {
            case STRING -> "string " + quote(value.textValue());
            case NUMBER -> "number " + value.asText();
            case BOOLEAN -> "boolean " + value.asText();
            case NULL -> "null";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            default -> value.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    /** Scalars quoted as they were written; containers by kind (their content has its own paths). */
    static String literal(JsonNode value) {
        if (value != null && value.isTextual()) {
            return quote(value.textValue());
        }
        if (value != null && value.isValueNode()) {
            return value.toString();
        }
        return describe(value);
    }
}
