package io.nexus.workflow.engine;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.nexus.workflow.domain.ExecutionError;
import io.nexus.workflow.domain.ExecutionRecord;
import io.nexus.workflow.domain.StepBatch;
import io.nexus.workflow.domain.StepRecord;
import io.nexus.workflow.domain.StepStatus;

/**
 * A run's {@code delay} and {@code wait} nodes (docs/api.md §5): they wait without blocking anything, each with a timer
 * when it has a due time. A wait node takes a stored signal of its name, committing its step with it, so that a
 * signal resumes exactly one wait; a signal sent while it waits makes it look again.
 */
final class RunWaits {

    private static final Logger LOG = Logger.getLogger(RunWaits.class);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final ExecutionRecord execution;
    private final RunCallbacks run;
    private final RunServices services;
    private final RunExpressions expressions;
    private final NodeProgress progress;
    private final PendingWrites pending;
    private final Map<String, Waiting> waiting = new LinkedHashMap<>();
    /** Wait nodes whose signal is being taken right now (one take at a time per node). */
    private final Set<String> signalTakes = new HashSet<>();
    /** Wait nodes signalled again while a take was under way: they take once more if it found nothing. */
    private final Set<String> lookAgain = new HashSet<>();
    /** Wait nodes whose timeout passed while a take was under way: the take decides, then the timeout. */
    private final Set<String> timedOutWhileTaking = new HashSet<>();

    /** A node that waits: until when (null = no timer), for which signal (wait nodes; null for delays). */
    private record Waiting(Instant due, String signal, long timer) {
    }

    RunWaits(ExecutionRecord execution, RunCallbacks run, RunServices services, RunExpressions expressions,
            NodeProgress progress, PendingWrites pending) {
        this.execution = execution;
        this.run = run;
        this.services = services;
        this.expressions = expressions;
        this.progress = progress;
        this.pending = pending;
    }

    /** A delay node: due after {@code durationMs}, or at the CEL timestamp {@code until}. */
    void startDelay(String nodeId) {
        JsonNode config = progress.node(nodeId).config();
        Instant due;
        if (config.has("durationMs")) {
            due = services.now().plusMillis(config.get("durationMs").asLong());
        } else {
            NodeOutcome until = expressions.evaluate(nodeId, "until");
            if (until.failed()) {
                run.settle(nodeId, until);
                return;
            }
            try {
                due = Instant.parse(until.output().asText());
            } catch (DateTimeParseException e) {
                run.settle(nodeId, NodeOutcome.failure(ExecutionError.EXPRESSION, "until: not a timestamp: "
                        + until.output()));
                return;
            }
        }
        waitFor(nodeId, due, null);
    }

    /** A wait node: takes a stored signal of its name if there is one, otherwise waits for one until its timeout. */
    void startWait(String nodeId) {
        JsonNode config = progress.node(nodeId).config();
        Instant due = config.has("timeoutMs") ? services.now().plusMillis(config.get("timeoutMs").asLong()) : null;
        waitFor(nodeId, due, config.get("signal").asText());
        trySignal(nodeId);
    }

    /** A wait node an earlier run parked: waits again, until the same due time. */
    void resumeWait(String nodeId, Instant due) {
        waitFor(nodeId, due, progress.node(nodeId).config().get("signal").asText());
        trySignal(nodeId);
    }

    /** A delay node an earlier run parked: waits for what is left of it. */
    void resumeDelay(String nodeId, Instant due) {
        waitFor(nodeId, due, null);
    }

    /** A signal was stored for the execution: every wait node looks for one of its name. */
    void lookForSignals() {
        for (Map.Entry<String, Waiting> wait : List.copyOf(waiting.entrySet())) {
            if (wait.getValue().signal() != null) {
                trySignal(wait.getKey());
            }
        }
    }

    boolean any() {
        return !waiting.isEmpty();
    }

    /** The earliest due time of a waiting node, or null when none has one. */
    Instant earliestDue() {
        Instant earliest = null;
        for (Waiting wait : waiting.values()) {
            if (wait.due() != null && (earliest == null || wait.due().isBefore(earliest))) {
                earliest = wait.due();
            }
        }
        return earliest;
    }

    /** The waiting nodes' steps for a park: what a later run needs to wait again (due time, signal). */
    List<StepRecord> parkedSteps() {
        List<StepRecord> steps = new ArrayList<>(waiting.size());
        waiting.forEach((nodeId, wait) -> {
            ObjectNode parked = JSON.objectNode();
            if (wait.due() != null) {
                parked.put("dueAt", wait.due().toString());
            }
            if (wait.signal() != null) {
                parked.put("signal", wait.signal());
            }
            steps.add(progress.waitingStep(nodeId, parked));
        });
        return steps;
    }

    /** The run fails, ends or stops: nothing waits any more. */
    void stop() {
        for (Waiting wait : waiting.values()) {
            if (wait.timer() >= 0) {
                services.cancelTimer(wait.timer());
            }
        }
        waiting.clear();
    }

    private void waitFor(String nodeId, Instant due, String signal) {
        long timer = -1;
        if (due != null) {
            long delay = Math.max(1, Duration.between(services.now(), due).toMillis());
            timer = run.schedule(delay, () -> due(nodeId));
        }
        waiting.put(nodeId, new Waiting(due, signal, timer));
    }

    /** A delay fires; a wait times out (unless its signal is being taken right now: that decides first). */
    private void due(String nodeId) {
        Waiting wait = waiting.get(nodeId);
        if (wait == null || run.phase() != RunPhase.RUNNING) {
            // Parking: the execution's wake time is at most this timer's, so the re-driven run handles it.
            return;
        }
        if (wait.signal() != null && signalTakes.contains(nodeId)) {
            timedOutWhileTaking.add(nodeId);
            return;
        }
        waiting.remove(nodeId);
        if (wait.signal() == null) {
            run.settle(nodeId, NodeOutcome.success(JSON.objectNode().put("firedAt", services.now().toString())));
        } else {
            run.settle(nodeId, NodeOutcome.failure(ExecutionError.TIMEOUT, "no signal '" + wait.signal()
                    + "' arrived within " + progress.node(nodeId).config().path("timeoutMs").asLong() + " ms"));
        }
        run.endIfDone();
    }

    /** Takes a stored signal for a wait node, committing the node with it; stays waiting when there is none. */
    private void trySignal(String nodeId) {
        if (!signalTakes.add(nodeId)) {
            lookAgain.add(nodeId);
            return;
        }
        String signal = waiting.get(nodeId).signal();
        StepBatch before = pending.take();
        Instant now = services.now();
        run.await(services.takeSignal(execution, nodeId, signal, payload -> pending.withStep(before,
                progress.step(nodeId, StepStatus.COMPLETED, payload, null, now))),
                taken -> signalTaken(nodeId, taken, before),
                failure -> {
                    LOG.warnf("Execution %s could not look for signal '%s': %s", execution.id(), signal,
                            failure.getMessage());
                    signalTaken(nodeId, Optional.empty(), before);
                });
    }

    private void signalTaken(String nodeId, Optional<JsonNode> taken, StepBatch before) {
        signalTakes.remove(nodeId);
        boolean timedOut = timedOutWhileTaking.remove(nodeId);
        if (taken == null) {
            // No longer live: cancelled elsewhere, or another replica holds it now.
            run.endAsCancelled();
            return;
        }
        if (taken.isPresent()) {
            Waiting wait = waiting.remove(nodeId);
            if (wait != null && wait.timer() >= 0) {
                services.cancelTimer(wait.timer());
            }
            run.committed(nodeId, taken.get());
            return;
        }
        pending.putBack(before);
        if (timedOut) {
            due(nodeId);
            return;
        }
        if (lookAgain.remove(nodeId) && waiting.containsKey(nodeId)) {
            trySignal(nodeId);
            return;
        }
        run.endIfDone();
    }
}
