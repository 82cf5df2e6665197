package io.nexus.marketplace.service;

import io.vertx.pgclient.PgException;

/** Recognizes the database's answer to a write that raced another one on a unique key. */
final class Failures {

    private static final String UNIQUE_VIOLATION = "23505";

    private Failures() {
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
