package io.nexus.workflow.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.nexus.workflow.domain.ExecutionError;
import io.nexus.workflow.domain.ExecutionRecord;

/**
 * A run's session (docs/api.md §5): its {@code session} nodes and the {@code session} variable of its expressions.
 *
 * <p>The variable is read from session-service at most once per run, just before the first evaluation that reads
 * it, and only when the workflow has such an expression (known since it was compiled) and the execution has a
 * session. A session node that completes sets it to its output; a session that is gone makes it null. Nothing
 * outlives the run: a re-driven run reads the session again when it needs to, and a committed session node's
 * output, replayed, sets the variable as it did the first time.
 *
 * <p>A node without {@code merge} only reads, so its step is written with the next durable boundary like a pure
 * node's. A node with {@code merge} changes the session, so its step commits at once ({@link SideEffectNodes}): once
 * committed, the merge is not made again after a crash. Calls are awaited (they are bounded by the client's timeout
 * and retries) so that the run neither ends nor parks under them.
 */
final class RunSession {

    private final ExecutionRecord execution;
    private final RunCallbacks run;
    private final RunServices services;
    private final RunExpressions expressions;
    private final NodeProgress progress;
    private final SideEffectNodes sideEffects;
    /** What waits for the variable while it is read: continued once it is known, or told why it could not be. */
    private final List<Waiter> waiters = new ArrayList<>();

    private record Waiter(Runnable then, Consumer<NodeOutcome> unavailable) {
    }

    RunSession(ExecutionRecord execution, RunCallbacks run, RunServices services, RunExpressions expressions,
            NodeProgress progress, SideEffectNodes sideEffects) {
        this.execution = execution;
        this.run = run;
        this.services = services;
        this.expressions = expressions;
        this.progress = progress;
        this.sideEffects = sideEffects;
    }

    /** Whether an evaluation can run now: it does not read the variable ({@code reads} false), or it is known. */
    boolean readable(boolean reads) {
        return !reads || execution.sessionId() == null || expressions.sessionKnown();
    }

    /**
     * Reads the variable (one call, however many evaluations wait for it), then runs {@code then} on the run's
     * executor; {@code unavailable} instead, with the failure, when session-service gave no answer.
     */
    void load(Runnable then, Consumer<NodeOutcome> unavailable) {
        waiters.add(new Waiter(then, unavailable));
        if (waiters.size() > 1) {
            return;
        }
        run.await(services.sessionData(execution), this::loaded,
                failure -> loaded(SessionCalls.failure(failure, execution)));
    }

    private void loaded(NodeOutcome outcome) {
        List<Waiter> answered = List.copyOf(waiters);
        waiters.clear();
        if (!expressions.sessionKnown()) {
            // A session node that completed meanwhile set a newer value: keep it.
            if (!outcome.failed()) {
                expressions.sessionIs(outcome.output());
            } else if (ExecutionError.NOT_FOUND.equals(outcome.error().code())) {
                expressions.sessionIs(null);
            }
        }
        NodeOutcome failure = expressions.sessionKnown() ? null : NodeOutcome.failure(outcome.error().code(),
                "the session's data could not be read for expressions: " + outcome.error().message());
        for (Waiter waiter : answered) {
            if (failure == null) {
                waiter.then().run();
            } else {
                waiter.unavailable().accept(failure);
            }
        }
    }

    /** A session node's attempt: reads the session, or merges the evaluated {@code merge} map into it. */
    void attempt(String nodeId) {
        if (execution.sessionId() == null) {
            run.settle(nodeId, NodeOutcome.failure(ExecutionError.NOT_FOUND, SessionCalls.WITHOUT_SESSION));
            return;
        }
        if (!progress.node(nodeId).config().has("merge")) {
            run.await(services.sessionData(execution), outcome -> read(nodeId, outcome),
                    failure -> read(nodeId, SessionCalls.failure(failure, execution)));
            return;
        }
        NodeOutcome patch = expressions.evaluate(nodeId, "merge");
        if (patch.failed()) {
            run.settle(nodeId, patch);
            return;
        }
        if (!patch.output().isObject()) {
            run.settle(nodeId, NodeOutcome.failure(ExecutionError.EXPRESSION, "merge: expected a map, got "
                    + patch.output().getNodeType().name().toLowerCase(Locale.ROOT)));
            return;
        }
        run.await(services.mergeSession(execution, (ObjectNode) patch.output()), outcome -> merged(nodeId, outcome),
                failure -> merged(nodeId, SessionCalls.failure(failure, execution)));
    }

    private void read(String nodeId, NodeOutcome outcome) {
        if (run.phase() == RunPhase.ENDING || run.phase() == RunPhase.OVER) {
            return;
        }
        run.settle(nodeId, outcome);
        run.endIfDone();
    }

    private void merged(String nodeId, NodeOutcome outcome) {
        if (run.phase() == RunPhase.ENDING || run.phase() == RunPhase.OVER) {
            return;
        }
        if (run.failing() || outcome.failed()) {
            // Failing already, the merge's step is written with the end (settle records it, retries nothing).
            run.settle(nodeId, outcome);
            run.endIfDone();
            return;
        }
        JsonNode data = outcome.output();
        sideEffects.commitCompleted(nodeId, data, null, "the session's merge");
    }
}
