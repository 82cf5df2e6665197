package io.nexus.workflow.engine;

/**
 * Where a run is in its life. {@code RUNNING} → {@code PARKING} (only waits are left) → back to {@code RUNNING} if the
 * park could not be committed, or {@code OVER} once it is; {@code RUNNING} → {@code ENDING} (the end is being
 * committed) → {@code OVER}. A cancel committed elsewhere, or a shutdown, makes any phase {@code OVER}.
 */
enum RunPhase {
    /** Nodes run; timers, signals and commits move the run on. */
    RUNNING,
    /** The park is being committed: nothing starts, timers and signals wait for the re-driven run. */
    PARKING,
    /** The end is being committed: nothing starts or settles any more. */
    ENDING,
    /** The run is done here: ended, parked, cancelled or handed back. */
    OVER
}
