package io.nexus.workflow.engine;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.nexus.common.ids.Ids;
import io.nexus.events.NexusEvent;
import io.nexus.workflow.definition.CompiledWorkflow;
import io.nexus.workflow.domain.ExecutionError;
import io.nexus.workflow.domain.ExecutionRecord;
import io.nexus.workflow.domain.StepBatch;
import io.nexus.workflow.domain.StepRecord;
import io.nexus.workflow.domain.StepStatus;
import io.nexus.workflow.repository.DataErrors;
import io.nexus.workflow.secrets.SecretRedaction;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * A run's side-effecting nodes, {@code event} and {@code http} (docs/api.md §5), and the commit of every completed
 * side effect ({@code session} merges too, {@link RunSession}). A completed one commits its step at once, with the
 * steps decided before it and what they publish, as a durable boundary: a committed side effect is never made again
 * when the execution is re-driven. If that commit fails, the attempt fails with {@code unavailable} (so
 * {@code retry} applies) and the earlier steps stay pending.
 */
final class SideEffectNodes {

    private static final Logger LOG = Logger.getLogger(SideEffectNodes.class);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final URI SOURCE = URI.create(NexusEvent.SOURCE_PREFIX + "workflow-service");

    private final ExecutionRecord execution;
    private final CompiledWorkflow workflow;
    private final RunCallbacks run;
    private final RunServices services;
    private final RunExpressions expressions;
    private final NodeProgress progress;
    private final PendingWrites pending;
    private final CompletionStage<ExecutionResult> result;
    /** http calls under way: not awaited by the run, since a failing execution ends without waiting for them. */
    private int callsInFlight;

    SideEffectNodes(ExecutionRecord execution, CompiledWorkflow workflow, RunCallbacks run, RunServices services,
            RunExpressions expressions, NodeProgress progress, PendingWrites pending,
            CompletionStage<ExecutionResult> result) {
        this.execution = execution;
        this.workflow = workflow;
        this.run = run;
        this.services = services;
        this.expressions = expressions;
        this.progress = progress;
        this.pending = pending;
        this.result = result;
    }

    /** An event node: its step and the event commit together, so the event exists exactly once. */
    void publish(String nodeId) {
        NodeOutcome data = expressions.evaluate(nodeId, "data");
        if (data.failed()) {
            run.settle(nodeId, data);
            return;
        }
        String eventId = Ids.newId();
        Instant now = services.now();
        String type = progress.node(nodeId).config().path("type").asText();
        NexusEvent<JsonNode> event = new NexusEvent<>(eventId, type, SOURCE, execution.id().toString(),
                now.atOffset(ZoneOffset.UTC), execution.tenantId().toString(), data.output());
        ObjectNode output = JSON.objectNode().put("eventId", eventId);
        commitCompleted(nodeId, output, event, "the event");
    }

    /**
     * An http node ({@link HttpNodeCalls}). Its request is evaluated here, off the event loop, and the call runs on
     * Vert.x. A failed attempt settles like any other (retry, onError). The call is not awaited: an execution that
     * fails, passes its deadline or is cancelled ends without waiting for it, ignores a late answer, and resets the
     * request once the run is over.
     */
    void call(String nodeId) {
        Set<String> secrets = workflow.nodeSecrets(nodeId);
        if (secrets.isEmpty()) {
            call(nodeId, Map.of());
            return;
        }
        // The secrets it reads are opened for this attempt only: held by this call, never by the run.
        run.await(services.secrets(execution.tenantId(), secrets), opened -> {
            if (run.phase() == RunPhase.ENDING || run.phase() == RunPhase.OVER) {
                return;
            }
            if (opened.failed()) {
                run.settle(nodeId, NodeOutcome.failure(opened.code(), opened.message()));
                run.endIfDone();
                return;
            }
            call(nodeId, opened.values());
            run.endIfDone();
        }, failure -> {
            run.settle(nodeId, NodeOutcome.failure(ExecutionError.UNAVAILABLE, "the secrets could not be read"));
            run.endIfDone();
        });
    }

    /**
     * The call with its secrets opened. Whatever it records (its output, an error message) has their values masked
     * ({@link SecretRedaction}), so a receiver that echoes a secret, or an error that quotes one, stores none.
     */
    private void call(String nodeId, Map<String, String> secrets) {
        SecretRedaction redaction = SecretRedaction.of(secrets.values());
        HttpNodeCalls.Request request = HttpNodeCalls.request(workflow, progress.node(nodeId),
                secrets.isEmpty() ? expressions.context() : expressions.context().withSecrets(secrets),
                execution.id());
        if (request.failed()) {
            run.settle(nodeId, redacted(request.failure(), redaction));
            return;
        }
        callsInFlight++;
        Cancellable call = services.http(request.spec()).subscribe().with(answer -> run.enqueue(() -> {
            callsInFlight--;
            if (run.phase() == RunPhase.ENDING || run.phase() == RunPhase.OVER) {
                // The end has recorded the node as cancelled already.
                return;
            }
            NodeOutcome outcome = redacted(answer, redaction);
            if (run.failing() || outcome.failed()) {
                // Failing already, the call's step is written with the end (settle records it, retries nothing).
                run.settle(nodeId, outcome);
                return;
            }
            commitCompleted(nodeId, outcome.output(), null, "the call's result");
        }));
        result.whenComplete((ended, error) -> call.cancel());
    }

    private static NodeOutcome redacted(NodeOutcome outcome, SecretRedaction redaction) {
        if (redaction.isEmpty()) {
            return outcome;
        }
        return outcome.failed()
                ? NodeOutcome.failure(outcome.error().code(), redaction.text(outcome.error().message()))
                : NodeOutcome.success(redaction.json(outcome.output()));
    }

    /** Whether an http call is under way: the run does not park meanwhile. */
    boolean callsInFlight() {
        return callsInFlight > 0;
    }

    /** The node completed: its step and everything pending commit as one durable boundary before the run goes on. */
    void commitCompleted(String nodeId, JsonNode output, NexusEvent<JsonNode> integrationEvent,
            String what) {
        StepRecord step = progress.step(nodeId, StepStatus.COMPLETED, output, null, services.now());
        StepBatch before = pending.take();
        run.await(services.commitBoundary(execution, pending.withStep(before, step), integrationEvent),
                live -> {
                    if (!live) {
                        run.endAsCancelled();
                        return;
                    }
                    run.committed(nodeId, output);
                },
                failure -> {
                    // Only what was pending before this step; the step itself is settled as failed below.
                    pending.putBack(before);
                    LOG.warnf("Execution %s could not commit node %s: %s", execution.id(), nodeId,
                            failure.getMessage());
                    if (DataErrors.deterministic(failure)) {
                        // The data itself is refused: another attempt would be refused the same way.
                        run.settle(nodeId, NodeOutcome.finalFailure(ExecutionError.LIMIT, what
                                + " could not be stored (" + DataErrors.describe(failure) + ")"));
                        return;
                    }
                    run.settle(nodeId, NodeOutcome.failure(ExecutionError.UNAVAILABLE,
                            what + " could not be recorded: the database did not answer"));
                });
    }
}
