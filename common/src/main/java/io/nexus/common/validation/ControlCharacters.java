package io.nexus.common.validation;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.nexus.common.problem.FieldError;

/**
 * Control characters in request text. PostgreSQL stores no NUL (U+0000) in {@code text} or {@code jsonb}
 * (22021/22P05), so a NUL anywhere in a request is refused up front, naming the field, instead of failing the write
 * with a 500. Messages never echo control characters raw: {@link #escape} writes them as <code>&#92;uXXXX</code>.
 */
public final class ControlCharacters {

    public static final char NUL = '\u0000';
    public static final String NUL_MESSAGE = "must not contain the NUL character (\\u0000)";
    public static final String SURROGATE_MESSAGE = "must not contain an unpaired surrogate (a \\ud800-\\udfff "
            + "escape without its pair): it is no character, and UTF-8 cannot store it";

    private ControlCharacters() {
    }

    /** A C0 control character or DEL. */
    public static boolean isControl(char c) {
        return c < 0x20 || c == 0x7f;
    }

    /** A control character other than tab, line feed and carriage return, which free text may carry. */
    public static boolean isDisallowedInText(char c) {
        return isControl(c) && c != '\t' && c != '\n' && c != '\r';
    }

    public static boolean containsNul(String text) {
        return text != null && text.indexOf(NUL) >= 0;
    }

    /**
     * Whether {@code text} holds a surrogate without its pair: JSON's <code>"&#92;ud800"</code> escape decodes to one, and its
     * UTF-8 encoding would silently store {@code ?} in its place.
     */
    public static boolean containsUnpairedSurrogate(String text) {
        if (text == null) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /** Why {@code text} cannot be stored as it is: NUL or an unpaired surrogate; null when it can. */
    public static String unstorableReason(String text) {
        if (containsNul(text)) {
            return NUL_MESSAGE;
        }
        return containsUnpairedSurrogate(text) ? SURROGATE_MESSAGE : null;
    }

    /**
     * {@code text} with every control character and every unpaired surrogate written as <code>&#92;uXXXX</code>, safe
     * to quote in a problem (a lone surrogate would not even encode as UTF-8).
     */
    public static String escape(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (isControl(c) || Character.isSurrogate(c) && !pair) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 8).append(text, 0, i);
                }
                out.append(String.format("\\u%04x", (int) c));
            } else if (out != null) {
                out.append(c);
                if (pair) {
                    out.append(text.charAt(++i));
                }
            } else if (pair) {
                i++;
            }
        }
        return out == null ? text : out.toString();
    }

    /**
     * Every string value and every field name in {@code root} that PostgreSQL could not store as sent (a NUL, an
     * unpaired surrogate), as errors naming the field ({@code inputs.x}, {@code data.a[2]}; a bad field name is named
     * escaped). Empty when there is none.
     */
    public static List<FieldError> unstorableFields(JsonNode root) {
        List<FieldError> errors = new ArrayList<>();
        collect(root, "", errors);
        return errors;
    }

    private static void collect(JsonNode node, String path, List<FieldError> errors) {
        if (node == null) {
            return;
        }
        if (node.isTextual()) {
            String reason = unstorableReason(node.textValue());
            if (reason != null) {
                errors.add(new FieldError(path, reason));
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collect(node.get(i), path + "[" + i + "]", errors);
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                String name = escape(field.getKey());
                String child = path.isEmpty() ? name : path + "." + name;
                String reason = unstorableReason(field.getKey());
                if (reason != null) {
                    errors.add(new FieldError(child, "the field name " + reason));
                } else {
                    collect(field.getValue(), child, errors);
                }
            }
        }
    }
}
