package io.nexus.workflow.engine;

import java.time.Instant;
import java.util.UUID;

/** What the replica ({@link ExecutionEngine}) hears from the runs it started, which it knows by execution id. */
interface RunListener {

    /** The run is over (ended, cancelled, or given up: {@code result} null): its worker is free. */
    void released(UUID executionId, ExecutionResult result);

    /** The run parked its execution: its worker is free; a claim re-drives it when it is due ({@code wakeAt}). */
    void parked(UUID executionId, Instant wakeAt);

    /** The run started a child execution, committed and pending: a free worker may take it at once. */
    void childStarted(UUID parentId, UUID childId);
}
