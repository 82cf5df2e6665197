package io.nexus.workflow.service;

import io.vertx.pgclient.PgException;

/** Recognizes the database's answer to a write that raced another one on a unique key. */
final class Conflicts {

    private static final String UNIQUE_VIOLATION = "23505";

    private Conflicts() {
    }

    static boolean isUniqueViolation(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())) {
                return true;
            }
        }
        return false;
    }
}
