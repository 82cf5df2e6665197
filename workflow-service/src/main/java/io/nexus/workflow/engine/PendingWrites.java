package io.nexus.workflow.engine;

import java.util.ArrayList;
import java.util.List;

import io.nexus.events.EventPayload;
import io.nexus.events.execution.StepCompleted;
import io.nexus.workflow.domain.ExecutionRecord;
import io.nexus.workflow.domain.StepBatch;
import io.nexus.workflow.domain.StepRecord;
import io.nexus.workflow.domain.StepStatus;

/**
 * The run's uncommitted writes: steps decided since the last commit (pure nodes are only remembered) and the events
 * they publish. A durable boundary {@link #take}s them to write them with its own step; if its commit fails, it
 * {@link #putBack}s them ahead of anything decided meanwhile, so that they are written, in order, by the next one.
 */
final class PendingWrites {

    private final ExecutionRecord execution;
    private final boolean stepEvents;
    private final List<StepRecord> steps = new ArrayList<>();
    private final List<EventPayload> events = new ArrayList<>();

    /** @param stepEvents whether the workflow publishes a {@code step.completed} event per finished step */
    PendingWrites(ExecutionRecord execution, boolean stepEvents) {
        this.execution = execution;
        this.stepEvents = stepEvents;
    }

    void add(StepRecord step) {
        steps.add(step);
        events.addAll(eventsOf(step));
    }

    /** Everything pending, which is pending no more. */
    StepBatch take() {
        if (steps.isEmpty() && events.isEmpty()) {
            return StepBatch.EMPTY;
        }
        StepBatch batch = new StepBatch(steps, events);
        steps.clear();
        events.clear();
        return batch;
    }

    /** A commit of {@code batch} failed: its writes are pending again, before those added since it was taken. */
    void putBack(StepBatch batch) {
        steps.addAll(0, batch.steps());
        events.addAll(0, batch.events());
    }

    /** {@code batch} followed by {@code step} and what the step publishes. */
    StepBatch withStep(StepBatch batch, StepRecord step) {
        return batch.with(step, eventsOf(step));
    }

    /** A finished step's {@code step.completed} event, for workflows that publish them (docs/api.md §6). */
    private List<EventPayload> eventsOf(StepRecord step) {
        if (!stepEvents || (step.status() != StepStatus.COMPLETED && step.status() != StepStatus.FAILED)) {
            return List.of();
        }
        return List.of(StepCompleted.of(execution, step.node(), step.status().wire(), step.attempts(),
                step.finishedAt()));
    }
}
