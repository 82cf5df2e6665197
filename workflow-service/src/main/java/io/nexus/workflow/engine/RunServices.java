package io.nexus.workflow.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.nexus.events.NexusEvent;
import io.nexus.workflow.domain.ExecutionError;
import io.nexus.workflow.domain.ExecutionRecord;
import io.nexus.workflow.domain.ExecutionStatus;
import io.nexus.workflow.domain.StepBatch;
import io.nexus.workflow.engine.http.HttpCallSpec;
import io.nexus.workflow.repository.ExecutionRepository.Lineage;
import io.nexus.workflow.secrets.TenantSecrets;
import io.smallrye.mutiny.Uni;

/**
 * What a running execution needs from its replica: a pool, a clock, timers, its commits, its children, its http
 * calls and its session ({@link ReplicaRunServices}; a fake in unit tests). Every commit is guarded on the execution
 * still being live and held by this replica; false (or null) means it is not, and nothing was written.
 */
interface RunServices {

    Executor evaluationPool();

    Instant now();

    long setTimer(long delayMs, Runnable action);

    void cancelTimer(long timerId);

    /** Waits at most this long stay in memory; longer ones park the execution. */
    Duration inMemoryWait();

    /**
     * A durable boundary: the steps decided since the last commit, the side-effecting step itself and what they
     * publish (the integration event may be null), in one transaction.
     */
    Uni<Boolean> commitBoundary(ExecutionRecord execution, StepBatch batch, NexusEvent<JsonNode> integrationEvent);

    /**
     * A wait node takes a stored signal and commits with it the batch {@code batchWith} builds from its payload: the
     * payload, empty when no signal is stored (nothing written), null when the execution is no longer live here.
     */
    Uni<Optional<JsonNode>> takeSignal(ExecutionRecord execution, String node, String signal,
            Function<JsonNode, StepBatch> batchWith);

    /** Parks the execution until {@code wakeAt} (null: until a signal or its deadline). */
    Uni<Boolean> commitPark(ExecutionRecord execution, Instant wakeAt, Instant startedAt, StepBatch batch);

    /**
     * What a subworkflow node needs before it starts its child: where the parent sits in its tree, and the child
     * workflow's version (null when the tenant has no such workflow or version).
     */
    Uni<ChildPlan> planChild(ExecutionRecord parent, String workflow, Integer version);

    /** Inserts the child (pending) with the parent's steps so far, the node waiting on it among them. */
    Uni<Boolean> startChild(ExecutionRecord parent, String node, ExecutionRecord child, Lineage lineage,
            StepBatch batch);

    /** A child execution as it is now (null if missing). */
    Uni<ExecutionRecord> child(UUID childId);

    /** The end: remaining steps, the terminal status and its event. */
    Uni<Boolean> commitEnd(ExecutionRecord execution, ExecutionStatus status, JsonNode outputs, ExecutionError error,
            Instant startedAt, Instant finishedAt, StepBatch batch);

    /**
     * The tenant's secrets an http node reads, opened for its call ({@link TenantSecrets}); never fails. Without a
     * secrets store (unit tests) every secret is unavailable.
     */
    default Uni<TenantSecrets.Opened> secrets(UUID tenant, Set<String> names) {
        return Uni.createFrom().item(new TenantSecrets.Opened(Map.of(), ExecutionError.UNAVAILABLE,
                "secrets are not available here"));
    }

    /**
     * An {@code http} node's call ({@link HttpNodeCalls}): completes on a Vert.x thread with the attempt's outcome and
     * never fails; cancelling the subscription resets the request.
     */
    Uni<NodeOutcome> http(HttpCallSpec spec);

    /**
     * The data of the execution's session, which it must have ({@link SessionCalls}): completes with the outcome and
     * never fails; {@code not-found} when the session is gone, {@code unavailable} when session-service gives no
     * answer.
     */
    Uni<NodeOutcome> sessionData(ExecutionRecord execution);

    /** Merges {@code patch} (RFC 7386) into the session's data: the data after the merge, or why not; never fails. */
    Uni<NodeOutcome> mergeSession(ExecutionRecord execution, ObjectNode patch);
}
