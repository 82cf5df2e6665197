package io.nexus.workflow.repository;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.nexus.common.outbox.OutboxWriter;
import io.nexus.common.outbox.OutboxWriter.OutboxRow;
import io.nexus.events.execution.ExecutionCancelled;
import io.nexus.events.execution.ExecutionStarted;
import io.nexus.workflow.domain.ExecutionError;
import io.nexus.workflow.domain.ExecutionRecord;
import io.nexus.workflow.domain.TenantQuotas;
import io.nexus.workflow.repository.ExecutionStatements.StartOutcome;
import io.nexus.workflow.repository.IdempotencyRepository.KeyScope;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The writes that change executions together with what they announce, each committed as one unit: every method opens
 * (or, for a single statement, needs no) transaction of its own and has committed or rolled back when its Uni
 * completes. Callers never hold a connection, so no transaction outlives the request that opened it.
 */
@ApplicationScoped
public class ExecutionTransactions {

    private final Pool pool;
    private final ExecutionRepository executions;
    private final ExecutionStatements statements;
    private final IdempotencyRepository idempotency;
    private final OutboxWriter outbox;

    public ExecutionTransactions(Pool pool, ExecutionRepository executions, ExecutionStatements statements,
            IdempotencyRepository idempotency, OutboxWriter outbox) {
        this.pool = pool;
        this.executions = executions;
        this.statements = statements;
        this.idempotency = idempotency;
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

    /** Rolls the key's claim back: the start statement wrote nothing. */
    private static final class NotStarted extends RuntimeException {

        private final StartOutcome outcome;

        NotStarted(StartOutcome outcome) {
            super("not started: " + outcome, null, false, false);
            this.outcome = outcome;
        }
    }
}
