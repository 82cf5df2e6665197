package io.nexus.workflow.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.nexus.workflow.domain.ExecutionError;
import io.nexus.workflow.domain.ExecutionRecord;
import io.nexus.workflow.domain.ExecutionStatus;
import io.nexus.workflow.domain.StepBatch;
import io.nexus.workflow.domain.StepRecord;
import io.nexus.workflow.repository.DataErrors;

/**
 * How a run stops: it ends (the end committed with the remaining steps, retried a few times), parks (only waits are
 * left and the earliest is further away than {@code nexus.workflow.in-memory-wait}: status waiting, its worker freed,
 * re-driven by a claim when due or signalled), learns that its execution ended elsewhere, or is handed back at
 * shutdown. Owns the run's {@link RunPhase}.
 */
final class RunEnding {

    private static final Logger LOG = Logger.getLogger(RunEnding.class);
    private static final int END_COMMIT_ATTEMPTS = 5;

    private final ExecutionRecord execution;
    private final RunCallbacks run;
    private final RunServices services;
    private final RunListener listener;
    private final PendingWrites pending;
    private final CompletableFuture<ExecutionResult> result;
    private final Instant runStartedAt;
    /** Stops the run's timers and waits: called on every way out. */
    private final Runnable stopWork;
    private RunPhase phase = RunPhase.RUNNING;

    RunEnding(ExecutionRecord execution, RunCallbacks run, RunServices services, RunListener listener,
            PendingWrites pending, CompletableFuture<ExecutionResult> result, Instant runStartedAt,
            Runnable stopWork) {
        this.execution = execution;
        this.run = run;
        this.services = services;
        this.listener = listener;
        this.pending = pending;
        this.result = result;
        this.runStartedAt = runStartedAt;
        this.stopWork = stopWork;
    }

    RunPhase phase() {
        return phase;
    }

    /** Commits the end with everything still pending; retried with backoff, then left to be re-driven. */
    void end(ExecutionStatus status, JsonNode outputs, ExecutionError error) {
        phase = RunPhase.ENDING;
        commitEnd(status, outputs, error, services.now(), pending.take(), 1);
    }

    /**
     * Only waits are left: keeps a short one in memory (its timer moves the run on); parks the execution when the
     * earliest due time is further away than that, or when nothing but a signal or a child can wake it.
     */
    void parkUnlessShortWait(Instant earliestDue, Supplier<List<StepRecord>> waitingSteps) {
        Instant now = services.now();
        if (earliestDue != null && Duration.between(now, earliestDue).compareTo(services.inMemoryWait()) <= 0) {
            return;
        }
        park(earliestDue, waitingSteps.get());
    }

    /** Cancelled (or ended, or taken over) elsewhere: nothing was written, nothing more will be. */
    void cancelled() {
        stopWork.run();
        finish(cancelledResult());
    }

    /** Shutdown gave up waiting: leave the execution to whoever claims it next. */
    void abandon() {
        if (phase != RunPhase.OVER) {
            phase = RunPhase.OVER;
            stopWork.run();
            result.completeExceptionally(new IllegalStateException("this replica stopped before the end"));
            listener.released(execution.id(), null);
        }
    }

    private void commitEnd(ExecutionStatus status, JsonNode outputs, ExecutionError error, Instant finishedAt,
            StepBatch batch, int attempt) {
        services.commitEnd(execution, status, outputs, error, runStartedAt, finishedAt, batch).subscribe().with(
                ended -> run.enqueue(() -> finish(ended
                        ? new ExecutionResult(execution.id(), status, outputs, error,
                                Duration.between(runStartedAt, finishedAt).toMillis())
                        : cancelledResult())),
                failure -> run.enqueue(() -> {
                    if (DataErrors.deterministic(failure) && !stripped(batch, outputs)) {
                        // What the run produced cannot be stored, and never will: end it failed, without it.
                        LOG.warnf("Execution %s could not store its end (%s); ending it failed without its results",
                                execution.id(), DataErrors.describe(failure));
                        ExecutionError unstorable = new ExecutionError(ExecutionError.LIMIT,
                                "the execution's results could not be stored (" + DataErrors.describe(failure) + ")",
                                error == null ? null : error.node());
                        commitEnd(ExecutionStatus.FAILED, null, unstorable, finishedAt, withoutOutputs(batch),
                                attempt + 1);
                        return;
                    }
                    if (attempt >= END_COMMIT_ATTEMPTS) {
                        LOG.errorf("Execution %s could not record its end after %d attempts: %s; leaving it to be "
                                + "re-driven", execution.id(), attempt, failure.getMessage());
                        phase = RunPhase.OVER;
                        stopWork.run();
                        result.completeExceptionally(failure);
                        listener.released(execution.id(), null);
                        return;
                    }
                    run.schedule(100L << attempt,
                            () -> commitEnd(status, outputs, error, finishedAt, batch, attempt + 1));
                }));
    }

    /** Whether the end already leaves out every output: then a data error cannot be the outputs' fault. */
    private static boolean stripped(StepBatch batch, JsonNode outputs) {
        return outputs == null && batch.steps().stream().allMatch(step -> step.output() == null);
    }

    /** The steps as they ended, without their outputs (their errors are always storable, see ExecutionError). */
    private static StepBatch withoutOutputs(StepBatch batch) {
        List<StepRecord> steps = batch.steps().stream()
                .map(step -> new StepRecord(step.node(), step.position(), step.status(), step.attempts(),
                        step.startedAt(), step.finishedAt(), null, step.error()))
                .toList();
        return new StepBatch(steps, batch.events());
    }

    private void park(Instant wakeAt, List<StepRecord> waitingSteps) {
        phase = RunPhase.PARKING;
        StepBatch before = pending.take();
        List<StepRecord> steps = new ArrayList<>(before.steps());
        steps.addAll(waitingSteps);
        run.await(services.commitPark(execution, wakeAt, runStartedAt, new StepBatch(steps, before.events())),
                live -> {
                    if (phase == RunPhase.OVER) {
                        return;
                    }
                    if (!live) {
                        run.endAsCancelled();
                        return;
                    }
                    phase = RunPhase.OVER;
                    stopWork.run();
                    listener.parked(execution.id(), wakeAt);
                },
                failed -> {
                    if (phase == RunPhase.OVER) {
                        return;
                    }
                    phase = RunPhase.RUNNING;
                    pending.putBack(before);
                    if (DataErrors.deterministic(failed)) {
                        // Parking again would fail again: end the execution instead (the end leaves the data out).
                        run.fail(new ExecutionError(ExecutionError.LIMIT, "the execution's state could not be "
                                + "stored (" + DataErrors.describe(failed) + ")", null));
                        return;
                    }
                    LOG.warnf("Execution %s could not park; waiting in memory for now: %s", execution.id(),
                            failed.getMessage());
                    // Try again later; the waits' own timers keep running meanwhile.
                    run.schedule(1000, run::endIfDone);
                    if (run.failing()) {
                        run.endIfDone();
                    }
                });
    }

    private void finish(ExecutionResult outcome) {
        if (phase == RunPhase.OVER) {
            return;
        }
        phase = RunPhase.OVER;
        stopWork.run();
        result.complete(outcome);
        listener.released(execution.id(), outcome);
    }

    private ExecutionResult cancelledResult() {
        return new ExecutionResult(execution.id(), ExecutionStatus.CANCELLED, null,
                new ExecutionError(ExecutionError.CANCELLED, "the execution was cancelled", null),
                Duration.between(runStartedAt, services.now()).toMillis());
    }
}
