package io.nexus.workflow.definition;

import java.util.ArrayList;
import java.util.List;

import io.nexus.common.problem.FieldError;

/** Every problem found in one definition, in the order found, so a client can fix them all in one round. */
final class Violations {

    private final List<FieldError> errors = new ArrayList<>();

    void add(String field, String message) {
        errors.add(new FieldError(field, message));
    }

    boolean any() {
        return !errors.isEmpty();
    }

    int count() {
        return errors.size();
    }

    List<FieldError> list() {
        return List.copyOf(errors);
    }
}
