package io.nexus.marketplace.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Now, at PostgreSQL's precision, so that what an answer shows is what a later read shows. */
final class Clock {

    private Clock() {
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
