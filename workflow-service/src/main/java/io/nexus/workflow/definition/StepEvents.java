package io.nexus.workflow.definition;

/** The definition's {@code "events"} field: {@code "none"} (default) or {@code "steps"}. */
public enum StepEvents {
    NONE, STEPS
}
