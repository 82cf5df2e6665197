package io.nexus.workflow.domain;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The service's clock. */
public final class Timestamps {

    private Timestamps() {
    }

    /** Now, in microseconds: what PostgreSQL keeps, so that an answer shows what a later read returns. */
    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
