package io.nexus.workflow.definition;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads the fields of one JSON object strictly (docs/api.md §3): declared names only, exact JSON types (no coercion:
 * {@code 123} is not a string, {@code 1.0} is not an integer), ranges checked. Every problem goes to
 * {@link Violations} and the read yields empty, so the caller carries on and reports the rest too.
 *
 * <p>An explicit {@code null} reads as absent: a client that writes {@code "description": null} means "none".
 */
final class ObjectReader {

    private final JsonNode object;
    private final String path;
    private final Violations violations;

    ObjectReader(JsonNode object, String path, Violations violations) {
        this.object = object;
        this.path = path;
        this.violations = violations;
    }

    String path() {
        return path;
    }

    String path(String field) {
        return FieldPaths.child(path, field);
    }

    /** Reports each field not in {@code known} as an unknown field. */
    void allowOnly(Set<String> known) {
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            if (!known.contains(field.getKey())) {
                violations.add(path(field.getKey()), "unknown field");
            }
        }
    }

    boolean has(String field) {
        return raw(field) != null;
    }

    /** The field's value, or null when absent or JSON null. */
    JsonNode raw(String field) {
        JsonNode value = object.get(field);
        return value == null || value.isNull() ? null : value;
    }

    /** The field's value when present; reports "is required" when it is not. */
    Optional<JsonNode> required(String field) {
        JsonNode value = raw(field);
        if (value == null) {
            violations.add(path(field), "is required");
        }
        return Optional.ofNullable(value);
    }

    Optional<String> text(String field, boolean required) {
        JsonNode value = required ? required(field).orElse(null) : raw(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            violations.add(path(field), "must be a string, got " + JsonText.describe(value));
            return Optional.empty();
        }
        return Optional.of(value.textValue());
    }

    /** A string matching {@code pattern}; {@code complaint} words the mismatch from the quoted value. */
    Optional<String> matching(String field, boolean required, Pattern pattern, Function<String, String> complaint) {
        Optional<String> text = text(field, required);
        if (text.isPresent() && !pattern.matcher(text.get()).matches()) {
            violations.add(path(field), complaint.apply(JsonText.quote(text.get())));
            return Optional.empty();
        }
        return text;
    }

    /** One of {@code allowed}, e.g. {@code unknown onError 'explode', expected one of fail, continue}. */
    Optional<String> choice(String field, boolean required, List<String> allowed, String what) {
        Optional<String> text = text(field, required);
        if (text.isPresent() && !allowed.contains(text.get())) {
            violations.add(path(field), "unknown " + what + " " + JsonText.quote(text.get()) + ", expected "
                    + (allowed.size() == 2 ? allowed.get(0) + " or " + allowed.get(1)
                            : "one of " + String.join(", ", allowed)));
            return Optional.empty();
        }
        return text;
    }

    Optional<Long> integer(String field, boolean required, long min, long max) {
        JsonNode value = required ? required(field).orElse(null) : raw(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isIntegralNumber()) {
            violations.add(path(field), "must be an integer, got " + JsonText.describe(value));
            return Optional.empty();
        }
        if (!value.canConvertToLong()) {
            violations.add(path(field), range(min, max, value.bigIntegerValue().toString()));
            return Optional.empty();
        }
        long number = value.longValue();
        if (number < min || number > max) {
            violations.add(path(field), range(min, max, String.format(Locale.ROOT, "%,d", number)));
            return Optional.empty();
        }
        return Optional.of(number);
    }

    /** The field as an object, or empty (reported) when it is something else. */
    Optional<JsonNode> object(String field, boolean required) {
        JsonNode value = required ? required(field).orElse(null) : raw(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isObject()) {
            violations.add(path(field), "must be an object, got " + JsonText.describe(value));
            return Optional.empty();
        }
        return Optional.of(value);
    }

    /** The field as an array, or empty (reported) when it is something else. */
    Optional<JsonNode> array(String field, boolean required) {
        JsonNode value = required ? required(field).orElse(null) : raw(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isArray()) {
            violations.add(path(field), "must be an array, got " + JsonText.describe(value));
            return Optional.empty();
        }
        return Optional.of(value);
    }

    private static String range(long min, long max, String actual) {
        return String.format(Locale.ROOT, "must be between %,d and %,d, got ", min, max) + actual;
    }
}
