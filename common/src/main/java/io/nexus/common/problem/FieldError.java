package io.nexus.common.problem;

/**
 * One violation in a problem response: {@code field} is a dotted path with indexes ({@code nodes[1].config.expression}),
 * {@code message} quotes the offending value so that a client can fix its request without guessing.
 */
public record FieldError(String field, String message) {
}
