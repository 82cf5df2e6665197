package io.nexus.workflow.repository;

import io.vertx.pgclient.PgException;

/**
 * Failures of a statement that would fail the same way every time, because of the data it writes: SQLSTATE class 22
 * (data exception: 22P05 a U+0000 in jsonb, 22021 a NUL byte in text, 22001 a value too long, ...) and class
 * 54 (program limit exceeded: a value too large to store). Retrying such a commit only repeats it.
 */
public final class DataErrors {

    private DataErrors() {
    }

    public static boolean deterministic(Throwable failure) {
        return sqlState(failure) != null;
    }

    /** The SQLSTATE of a deterministic failure in {@code failure}'s causes, or null when it is none. */
    public static String sqlState(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof PgException pg && pg.getSqlState() != null
                    && (pg.getSqlState().startsWith("22") || pg.getSqlState().startsWith("54"))) {
                return pg.getSqlState();
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return null;
    }

    /** A short reason for an error message: the SQLSTATE and PostgreSQL's message, no data. */
    public static String describe(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof PgException pg && pg.getSqlState() != null) {
                return "PostgreSQL " + pg.getSqlState() + ": " + pg.getErrorMessage();
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return failure.getClass().getSimpleName();
    }
}
