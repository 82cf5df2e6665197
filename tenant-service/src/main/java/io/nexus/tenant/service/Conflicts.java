package io.nexus.tenant.service;

import org.hibernate.StaleObjectStateException;
import org.hibernate.exception.ConstraintViolationException;

import io.nexus.common.problem.ProblemException;
import io.vertx.pgclient.PgException;
import io.nexus.common.problem.ProblemType;

/** Database outcomes that are the client's concern, as 409s instead of 500s. */
final class Conflicts {

    private static final String UNIQUE_VIOLATION = "23505";

    private Conflicts() {
    }

    static Throwable translate(Throwable failure, String duplicateMessage) {
        Throwable cause = failure;
        while (cause != null) {
            boolean uniqueViolation = cause instanceof ConstraintViolationException violation
                    && violation.getKind() == ConstraintViolationException.ConstraintKind.UNIQUE
                    || cause instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState());
            if (uniqueViolation) {
                return new ProblemException(ProblemType.CONFLICT, duplicateMessage);
            }
            if (cause instanceof StaleObjectStateException || cause instanceof jakarta.persistence.OptimisticLockException) {
                return new ProblemException(ProblemType.CONFLICT, "the resource changed concurrently; read it and retry");
            }
            cause = cause.getCause();
        }
        return failure;
    }
}
