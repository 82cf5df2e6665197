package io.nexus.common.validation;

import java.util.Set;

/**
 * A JSON merge patch (RFC 7396) bound to the record {@code T} that describes its fields: {@code value} holds what the
 * patch sets, {@link #has(String)} tells which top-level fields it mentions, {@link #clears(String)} which it sets to
 * null. Null is accepted only for components annotated {@link Resettable}; for the others it is a validation error.
 */
public record MergePatch<T>(T value, Set<String> present, Set<String> cleared) {

    public boolean has(String field) {
        return present.contains(field);
    }

    public boolean clears(String field) {
        return cleared.contains(field);
    }

    public boolean isEmpty() {
        return present.isEmpty();
    }
}
