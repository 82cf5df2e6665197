package io.nexus.workflow.domain;

import java.util.Locale;

/** Step statuses of docs/api.md §4, by their wire names. */
public enum StepStatus {
    PENDING, RUNNING, WAITING, COMPLETED, FAILED, SKIPPED, CANCELLED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static StepStatus fromWire(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}
