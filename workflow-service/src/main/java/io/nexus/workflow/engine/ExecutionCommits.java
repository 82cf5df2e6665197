package io.nexus.workflow.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.nexus.common.outbox.OutboxWriter;
import io.nexus.events.EventPayload;
import io.nexus.events.NexusEvent;
import io.nexus.events.Topics;
import io.nexus.events.execution.ExecutionCompleted;
import io.nexus.events.execution.ExecutionFailed;
import io.nexus.workflow.domain.ExecutionError;
import io.nexus.workflow.domain.ExecutionRecord;
import io.nexus.workflow.domain.ExecutionStatus;
import io.nexus.workflow.domain.StepBatch;
import io.nexus.common.outbox.OutboxWriter.OutboxRow;
import io.nexus.workflow.repository.ExecutionStatements;
import io.nexus.workflow.repository.ExecutionRepository;
import io.nexus.workflow.repository.SignalRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * The transactions of a running execution. Each guards on the execution still being live, so that a cancel committed
 * by another request wins and nothing is written after it.
 */
@ApplicationScoped
public class ExecutionCommits {

    private final Pool pool;
    private final ExecutionRepository executions;
    private final ExecutionStatements statements;
    private final OutboxWriter outbox;
    private final SignalRepository signals;

    public ExecutionCommits(Pool pool, ExecutionRepository executions, ExecutionStatements statements,
            OutboxWriter outbox, SignalRepository signals) {
        this.pool = pool;
        this.signals = signals;
        this.executions = executions;
        this.statements = statements;
        this.outbox = outbox;
    }

    /** A durable step: the steps decided since the last commit and what they publish; false when no longer live. */
    Uni<Boolean> boundary(ExecutionRecord execution, String owner, StepBatch batch,
            NexusEvent<JsonNode> integrationEvent, Instant now) {
        return pool.withTransaction(tx -> executions.markRunning(tx, execution.id(), owner, now).chain(live -> {
            if (!live) {
                return rollback();
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
    Uni<Optional<JsonNode>> takeSignal(ExecutionRecord execution, String owner, String node, String signal,
            Function<JsonNode, StepBatch> batchWith, Instant now) {
        return pool.withTransaction(tx -> executions.markRunning(tx, execution.id(), owner, now).chain(live -> {
            if (!live) {
                return rollback();
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
    Uni<Boolean> startChild(ExecutionRecord parent, String owner, String node, ExecutionRecord child,
            ExecutionRepository.Lineage lineage, StepBatch batch, Instant now) {
        return pool.withTransaction(tx -> executions.markRunning(tx, parent.id(), owner, now).chain(live -> {
            if (!live) {
                return rollback();
            }
            return executions.insertChild(tx, child, parent.id(), node, lineage, parent.workflow())
                    .chain(() -> write(tx, parent, batch))
                    .replaceWith(Boolean.TRUE);
        })).onFailure(NotLive.class).recoverWithItem(Boolean.FALSE);
    }

    /** The end: one statement (see {@link ExecutionStatements}), so one commit and no lock held across a round trip. */
    Uni<Boolean> end(ExecutionRecord execution, String owner, ExecutionStatus status, JsonNode outputs,
            ExecutionError error, Instant startedAt, Instant finishedAt, StepBatch batch) {
        List<OutboxRow> events = rows(batch.events());
        events.add(outbox.rowFor(endEvent(execution, status, error, startedAt, finishedAt)));
        return statements.end(execution.id(), owner, status, outputs == null ? null : outputs.toString(), error,
                startedAt, finishedAt, batch.steps(), events);
    }

    /** Parks the execution until {@code wakeAt} or a signal (see {@link ExecutionStatements#park}). */
    Uni<Boolean> park(ExecutionRecord execution, String owner, Instant wakeAt, Instant startedAt,
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
        long durationMs = java.time.Duration.between(startedAt, finishedAt).toMillis();
        String id = execution.id().toString();
        String tenant = execution.tenantId().toString();
        if (status == ExecutionStatus.COMPLETED) {
            return new ExecutionCompleted(id, tenant, execution.workflow(), execution.version(), execution.channel(),
                    durationMs, finishedAt);
        }
        return new ExecutionFailed(id, tenant, execution.workflow(), execution.version(), execution.channel(),
                error == null ? null : error.code(), error == null ? null : error.node(), durationMs, finishedAt);
    }

    private static <T> Uni<T> rollback() {
        return Uni.createFrom().failure(new NotLive());
    }

    /** Rolls the transaction back: no signal to take. */
    private static final class NoSignal extends RuntimeException {
        NoSignal() {
            super("no signal", null, false, false);
        }
    }

    /** Rolls the transaction back: the execution ended elsewhere. */
    private static final class NotLive extends RuntimeException {
        NotLive() {
            super("the execution has ended", null, false, false);
        }
    }
}
