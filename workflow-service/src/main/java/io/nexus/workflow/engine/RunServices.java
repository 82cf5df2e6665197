package io.nexus.workflow.engine;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executor;

import com.fasterxml.jackson.databind.JsonNode;

import io.nexus.events.EventPayload;
import io.nexus.events.NexusEvent;
import io.nexus.workflow.domain.ExecutionError;
import io.nexus.workflow.domain.ExecutionRecord;
import io.nexus.workflow.domain.ExecutionStatus;
import io.nexus.workflow.domain.StepRecord;
import io.nexus.workflow.engine.http.HttpCallSpec;
import io.smallrye.mutiny.Uni;

/** What a running execution needs from its replica: a pool, timers, and its commits. */
interface RunServices {

    Executor evaluationPool();

    Instant now();

    long setTimer(long delayMs, Runnable action);

    void cancelTimer(long timerId);

    /**
     * A durable boundary: the steps decided since the last commit, the side-effecting step itself and what it
     * publishes (if anything: {@code integrationEvent} may be null), in one transaction. False when the execution had
     * ended meanwhile (nothing is written).
     */
    Uni<Boolean> commitBoundary(ExecutionRecord execution, List<StepRecord> steps, List<EventPayload> events,
            NexusEvent<JsonNode> integrationEvent);

    /** The end: remaining steps, the terminal status and its event. False when the execution had ended already. */
    Uni<Boolean> commitEnd(ExecutionRecord execution, ExecutionStatus status, JsonNode outputs, ExecutionError error,
            Instant startedAt, Instant finishedAt, List<StepRecord> steps, List<EventPayload> events);

    /** The run is over (committed, cancelled, or given up): free its worker. */
    void released(ExecutionRun run, ExecutionResult result);

    /**
     * An {@code http} node's call ({@link HttpNodeCalls}): completes on a Vert.x thread with the attempt's outcome and
     * never fails; cancelling the subscription resets the request.
     */
    Uni<NodeOutcome> http(HttpCallSpec spec);
}
