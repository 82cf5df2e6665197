package io.nexus.workflow.engine;

import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;

import io.nexus.workflow.domain.ExecutionError;
import io.smallrye.mutiny.Uni;

/**
 * What the parts of a run ({@link RunWaits}, {@link RunChildren}, {@link SideEffectNodes}, {@link RunEnding}) call
 * back on its scheduler loop, {@link ExecutionRun}. Every call happens on the run's serial executor.
 */
interface RunCallbacks {

    RunPhase phase();

    /** Whether the execution is failing: nothing new starts, what runs finishes, then it ends. */
    boolean failing();

    /** An attempt of the node ended: complete it, retry it, continue past it or fail the execution. */
    void settle(String nodeId, NodeOutcome outcome);

    /** The node's step was committed as completed (a durable boundary): the run goes on from it. */
    void committed(String nodeId, JsonNode output);

    /** Ends (or parks) the execution if nothing is left to run. */
    void endIfDone();

    /** The execution ended elsewhere (cancelled, or another replica holds it): stop without writing. */
    void endAsCancelled();

    /** Fails the execution with {@code error}: nothing new starts, what runs finishes, then it ends. */
    void fail(ExecutionError error);

    /**
     * Runs {@code work} (a commit or a read) and continues on the run's serial executor with its item or failure; the
     * run does not end while it is under way.
     */
    <T> void await(Uni<T> work, Consumer<T> then, Consumer<Throwable> failed);

    /** Runs {@code task} on the run's serial executor, after the tasks queued before it. */
    void enqueue(Runnable task);

    /** Runs {@code task} on the run's serial executor after {@code delayMs}; returns the timer's id. */
    long schedule(long delayMs, Runnable task);
}
