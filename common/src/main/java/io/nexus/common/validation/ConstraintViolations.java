package io.nexus.common.validation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;

import io.nexus.common.problem.FieldError;

/**
 * Maps Bean Validation violations to the contract's field errors: dotted paths with indexes, messages that quote the
 * rejected value.
 */
public final class ConstraintViolations {

    private static final int MAX_QUOTED_LENGTH = 80;

    private ConstraintViolations() {
    }

    /** One error per field: several violations of the same field are joined, in a stable (sorted) order. */
    public static List<FieldError> toFieldErrors(Collection<? extends ConstraintViolation<?>> violations) {
        Map<String, List<String>> messages = new TreeMap<>();
        Map<String, Object> values = new HashMap<>();
        for (ConstraintViolation<?> violation : violations) {
            String field = fieldPath(violation.getPropertyPath());
            messages.computeIfAbsent(field, f -> new ArrayList<>()).add(violation.getMessage());
            values.put(field, violation.getInvalidValue());
        }
        List<FieldError> errors = new ArrayList<>(messages.size());
        messages.forEach((field, list) -> errors.add(new FieldError(field,
                withValue(String.join("; ", list.stream().sorted().toList()), values.get(field)))));
        return errors;
    }

    /** {@code create.request.quotas.workflows} → {@code quotas.workflows}; a bare parameter keeps its own name. */
    static String fieldPath(Path path) {
        List<Path.Node> nodes = new ArrayList<>();
        path.forEach(nodes::add);
        int start = 0;
        for (int i = 0; i < nodes.size(); i++) {
            ElementKind kind = nodes.get(i).getKind();
            if (kind == ElementKind.METHOD || kind == ElementKind.CONSTRUCTOR) {
                start = i + 1;
            } else if (kind == ElementKind.PARAMETER && i + 1 < nodes.size()) {
                start = i + 1;
            }
        }
        StringBuilder field = new StringBuilder();
        for (Path.Node node : nodes.subList(start, nodes.size())) {
            if (node.isInIterable()) {
                if (node.getIndex() != null) {
                    field.append('[').append(node.getIndex()).append(']');
                } else if (node.getKey() != null) {
                    field.append('.').append(node.getKey());
                }
            }
            if (node.getKind() == ElementKind.CONTAINER_ELEMENT || node.getName() == null) {
                continue;
            }
            if (!field.isEmpty()) {
                field.append('.');
            }
            field.append(node.getName());
        }
        return field.toString();
    }

    public static String withValue(String message, Object value) {
        if (value == null) {
            return message;
        }
        return message + ", got " + quote(value);
    }

    public static String quote(Object value) {
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        if (value instanceof Collection<?> collection) {
            return "a list of " + collection.size();
        }
        if (value instanceof java.util.Map<?, ?> map) {
            return "an object with " + map.size() + " fields";
        }
        String text = value.toString();
        if (text.length() > MAX_QUOTED_LENGTH) {
            text = text.substring(0, MAX_QUOTED_LENGTH) + "…";
        }
        return "'" + ControlCharacters.escape(text) + "'";
    }
}
