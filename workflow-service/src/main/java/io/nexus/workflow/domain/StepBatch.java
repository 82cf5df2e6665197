package io.nexus.workflow.domain;

import java.util.ArrayList;
import java.util.List;

import io.nexus.events.EventPayload;

/**
 * Steps an execution writes together and the events they publish: what a run decided since its last commit, plus
 * whatever the commit itself adds. Immutable; {@link #with} makes a larger copy.
 */
public record StepBatch(List<StepRecord> steps, List<EventPayload> events) {

    public static final StepBatch EMPTY = new StepBatch(List.of(), List.of());

    public StepBatch {
        steps = List.copyOf(steps);
        events = List.copyOf(events);
    }

    /** This batch followed by {@code step} and {@code stepEvents} (what the step publishes, often nothing). */
    public StepBatch with(StepRecord step, List<? extends EventPayload> stepEvents) {
        List<StepRecord> moreSteps = new ArrayList<>(steps);
        moreSteps.add(step);
        List<EventPayload> moreEvents = new ArrayList<>(events);
        moreEvents.addAll(stepEvents);
        return new StepBatch(moreSteps, moreEvents);
    }

    public boolean isEmpty() {
        return steps.isEmpty() && events.isEmpty();
    }
}
