package io.nexus.workflow.rest;

import java.util.List;

import io.nexus.common.problem.FieldError;
import io.nexus.common.problem.ProblemException;

/** Query parameters with their own validation, reported like body fields. */
final class QueryParams {

    private QueryParams() {
    }

    static Integer version(String raw) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        try {
            int version = Integer.parseInt(raw);
            if (version >= 1) {
                return version;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ProblemException.invalid(List.of(new FieldError("version", "must be a positive integer, got '"
                + (raw.length() > 20 ? raw.substring(0, 20) + "…" : raw) + "'")));
    }
}
