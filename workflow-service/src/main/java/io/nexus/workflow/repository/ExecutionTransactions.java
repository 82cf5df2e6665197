package io.nexus.workflow.repository;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.nexus.common.outbox.OutboxWriter;
import io.nexus.common.outbox.OutboxWriter.OutboxRow;
import io.nexus.events.EventPayload;
import io.nexus.events.NexusEvent;
import io.nexus.events.Topics;
import io.nexus.events.execution.ExecutionCancelled;
import io.nexus.events.execution.ExecutionCompleted;
import io.nexus.events.execution.ExecutionFailed;
import io.nexus.events.execution.ExecutionStarted;
import io.nexus.workflow.domain.ExecutionError;
import io.nexus.workflow.domain.ExecutionRecord;
import io.nexus.workflow.domain.ExecutionStatus;
import io.nexus.workflow.domain.StepBatch;
import io.nexus.workflow.domain.TenantQuotas;
import io.nexus.workflow.repository.ExecutionRepository.Lineage;
import io.nexus.workflow.repository.ExecutionStatements.StartOutcome;
import io.nexus.workflow.repository.IdempotencyRepository.KeyScope;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Every write that changes executions together with what it announces, each committed as one unit: the starts and
 * cancels of requests, and the commits of a running execution (its durable boundaries, signal takes, child starts,
 * park and end). Every method opens (or, for a single statement, needs no) transaction of its own and has committed
 * or rolled back when its Uni completes. Callers never hold a connection, so no transaction outlives the work that
 * opened it. The one place in the service where execution transactions begin.
 */
@ApplicationScoped
public class ExecutionTransactions {

    private final Pool pool;
    private final ExecutionRepository executions;
    private final ExecutionStatements statements;
    private final IdempotencyRepository idempotency;
    private final SignalRepository signals;
    private final OutboxWriter outbox;

    public ExecutionTransactions(Pool pool, ExecutionRepository executions, ExecutionStatements statements,
            IdempotencyRepository idempotency, SignalRepository signals, OutboxWriter outbox) {
        this.pool = pool;
        this.executions = executions;
        this.statements = statements;
        this.idempotency = idempotency;
        this.signals = signals;
        this.outbox = outbox;
    }

    /**
     * Admits, inserts and announces a new execution: one statement ({@link ExecutionStatements#start}), so one commit
     * and no transaction to open.
     */
    public Uni<StartOutcome> start(NewExecution start) {
        return statements.start(pool, start.execution(), start.latest(), start.leaseOwner(), start.leaseMs(),
                start.day(), start.defaults(), announcement(start.execution()));
    }

    /**
     * The same start behind an Idempotency-Key, claimed first in the same transaction: a start that does not happen
     * (refused, or its version changed) rolls the claim back and leaves the key free, and a key already taken starts
     * nothing (the Uni fails with {@link KeyTaken}). A claim older than {@code retention} has expired and is taken
     * over.
     */
    public Uni<StartOutcome> startWithKey(NewExecution start, KeyScope key, String requestHash, Duration retention) {
        return pool.withTransaction(tx -> idempotency.claim(tx, key, requestHash, start.execution().id(), retention)
                .chain(claimed -> claimed
                        ? statements.start(tx, start.execution(), start.latest(), start.leaseOwner(), start.leaseMs(),
                                start.day(), start.defaults(), announcement(start.execution()))
                        : Uni.createFrom().<StartOutcome> failure(new KeyTaken()))
                .invoke(outcome -> {
                    if (outcome != StartOutcome.STARTED) {
                        throw new NotStarted(outcome);
                    }
                }))
                .onFailure(NotStarted.class).recoverWithItem(failure -> ((NotStarted) failure).outcome);
    }

    /**
     * Cancels a live execution of the tenant with its live descendants, announces each, and wakes the parent waiting
     * for it; null (and nothing written) when it had ended or is not the tenant's.
     */
    public Uni<Cancellation> cancel(UUID tenant, UUID id, ExecutionError error, Instant now) {
        return pool.withTransaction(tx -> executions.cancel(tx, tenant, id, error, now).chain(cancelled -> {
            if (cancelled == null) {
                return Uni.createFrom().<Cancellation> nullItem();
            }
            // Its sub-workflows go with it; a parent waiting for it looks at once (its subworkflow node fails).
            return executions.cancelDescendants(tx, id, error, now).chain(descendants -> {
                List<ExecutionCancelled> events = new ArrayList<>();
                events.add(cancelledEvent(cancelled, now));
                descendants.forEach(descendant -> events.add(cancelledEvent(descendant, now)));
                return outbox.append(tx, events)
                        .chain(() -> executions.wakeParent(tx, id))
                        .replaceWith(new Cancellation(cancelled, descendants));
            });
        }));
    }

    // ------------------------------------------------------------------------------- a run's commits (engine)
    // Each is guarded on the execution still being live and held by {@code owner}, so that a cancel committed by
    // another request, or a replica that took the execution over, wins and nothing is written after it.

    /**
     * A durable boundary: the steps decided since the last commit, the side-effecting step and what they publish
     * (the integration event of an event node, or null), in one transaction; false when no longer live.
     */
    public Uni<Boolean> boundary(ExecutionRecord execution, String owner, StepBatch batch,
            NexusEvent<JsonNode> integrationEvent, Instant now) {
        return pool.withTransaction(tx -> executions.markRunning(tx, execution.id(), owner, now).chain(live -> {
            if (!live) {
                return notLive();
            }
            Uni<Void> written = write(tx, execution, batch);
            if (integrationEvent != null) {
                written = written.chain(() -> outbox.append(tx, integrationEvent,
                        Topics.integration(execution.tenantId().toString())));
            }
            return written.replaceWith(Boolean.TRUE);
        })).onFailure(NotLive.class).recoverWithItem(Boolean.FALSE);
    }

    /**
     * A wait node takes the oldest unconsumed signal of its name: the signal is consumed and the batch that
     * {@code batchWith} builds from its payload (the steps before, the node completed with it) committed together, so
     * a signal resumes exactly one wait. Empty (and nothing written) when no such signal is stored; null when the
     * execution is no longer live.
     */
    public Uni<Optional<JsonNode>> takeSignal(ExecutionRecord execution, String owner, String node, String signal,
            Function<JsonNode, StepBatch> batchWith, Instant now) {
        return pool.withTransaction(tx -> executions.markRunning(tx, execution.id(), owner, now).chain(live -> {
            if (!live) {
                return notLive();
            }
            return signals.take(tx, execution.id(), signal, node).chain(taken -> {
                if (taken.isEmpty()) {
                    return Uni.createFrom().<Optional<JsonNode>> failure(new NoSignal());
                }
                return write(tx, execution, batchWith.apply(taken.get())).replaceWith(taken);
            });
        })).onFailure(NoSignal.class).recoverWithItem(Optional.empty())
                .onFailure(NotLive.class).recoverWithNull();
    }

    /**
     * A subworkflow node starts its child: the child execution (pending, for any replica to claim), the parent's
     * steps so far with the node waiting on the child, and their events (the child's started event among them), in
     * one transaction. False when the parent is no longer live here.
     */
    public Uni<Boolean> startChild(ExecutionRecord parent, String owner, String node, ExecutionRecord child,
            Lineage lineage, StepBatch batch, Instant now) {
        return pool.withTransaction(tx -> executions.markRunning(tx, parent.id(), owner, now).chain(live -> {
            if (!live) {
                return notLive();
            }
            return executions.insertChild(tx, child, parent.id(), node, lineage, parent.workflow())
                    .chain(() -> write(tx, parent, batch))
                    .replaceWith(Boolean.TRUE);
        })).onFailure(NotLive.class).recoverWithItem(Boolean.FALSE);
    }

    /**
     * The end with the remaining steps and events and the terminal event: one statement
     * ({@link ExecutionStatements#end}), so one commit and no lock held across a round trip.
     */
    public Uni<Boolean> end(ExecutionRecord execution, String owner, ExecutionStatus status, JsonNode outputs,
            ExecutionError error, Instant startedAt, Instant finishedAt, StepBatch batch) {
        List<OutboxRow> events = rows(batch.events());
        events.add(outbox.rowFor(endEvent(execution, status, error, startedAt, finishedAt)));
        return statements.end(execution.id(), owner, status, outputs == null ? null : outputs.toString(), error,
                startedAt, finishedAt, batch.steps(), events);
    }

    /** Parks the execution until {@code wakeAt} or a signal: one statement ({@link ExecutionStatements#park}). */
    public Uni<Boolean> park(ExecutionRecord execution, String owner, Instant wakeAt, Instant startedAt,
            StepBatch batch) {
        return statements.park(execution.id(), owner, wakeAt, startedAt, batch.steps(), rows(batch.events()));
    }

    private Uni<Void> write(SqlConnection tx, ExecutionRecord execution, StepBatch batch) {
        return executions.saveSteps(tx, execution.id(), batch.steps()).chain(() -> outbox.append(tx, batch.events()));
    }

    private List<OutboxRow> rows(List<EventPayload> payloads) {
        List<OutboxRow> rows = new ArrayList<>(payloads.size() + 1);
        for (EventPayload event : payloads) {
            rows.add(outbox.rowFor(event));
        }
        return rows;
    }

    private static EventPayload endEvent(ExecutionRecord execution, ExecutionStatus status, ExecutionError error,
            Instant startedAt, Instant finishedAt) {
        long durationMs = Duration.between(startedAt, finishedAt).toMillis();
        return status == ExecutionStatus.COMPLETED ? ExecutionCompleted.of(execution, durationMs, finishedAt)
                : ExecutionFailed.of(execution, error == null ? null : error.code(),
                        error == null ? null : error.node(), durationMs, finishedAt);
    }

    private static <T> Uni<T> notLive() {
        return Uni.createFrom().failure(new NotLive());
    }

    /** A start is only ever of a root execution, announced at its creation. */
    private OutboxRow announcement(ExecutionRecord execution) {
        return outbox.rowFor(ExecutionStarted.of(execution, null, execution.createdAt()));
    }

    private static ExecutionCancelled cancelledEvent(ExecutionRecord execution, Instant now) {
        return ExecutionCancelled.of(execution, Duration.between(execution.createdAt(), now).toMillis(), now);
    }

    /**
     * A start to write: the execution; whether it must still be its workflow's latest version ({@code latest}: the
     * start asked for no version); the replica that runs it at once and for how long (null: none has a worker); the
     * quotas that apply while the tenant projection does not know the tenant.
     */
    public record NewExecution(ExecutionRecord execution, boolean latest, String leaseOwner, long leaseMs,
            TenantQuotas defaults) {

        /** The UTC day whose executionsPerDay count the start takes. */
        public LocalDate day() {
            return execution.createdAt().atOffset(ZoneOffset.UTC).toLocalDate();
        }
    }

    /** A committed cancel: the execution, and its descendants that were cancelled with it. */
    public record Cancellation(ExecutionRecord execution, List<ExecutionRecord> descendants) {
    }

    /** The Idempotency-Key was already claimed by an earlier request: nothing started, answer from the first. */
    public static final class KeyTaken extends RuntimeException {
        KeyTaken() {
            super("idempotency key taken", null, false, false);
        }
    }

    /** Rolls a run's transaction back: the execution ended elsewhere, or another replica holds it. */
    private static final class NotLive extends RuntimeException {
        NotLive() {
            super("the execution has ended", null, false, false);
        }
    }

    /** Rolls a signal take back: no signal to take. */
    private static final class NoSignal extends RuntimeException {
        NoSignal() {
            super("no signal", null, false, false);
        }
    }

    /** Rolls the key's claim back: the start statement wrote nothing. */
    private static final class NotStarted extends RuntimeException {

        private final StartOutcome outcome;

        NotStarted(StartOutcome outcome) {
            super("not started: " + outcome, null, false, false);
            this.outcome = outcome;
        }
    }
}
