package io.nexus.workflow.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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
import io.nexus.workflow.domain.StepRecord;
import io.nexus.common.outbox.OutboxWriter.OutboxRow;
import io.nexus.workflow.repository.ExecutionStatements;
import io.nexus.workflow.repository.ExecutionRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

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

    public ExecutionCommits(Pool pool, ExecutionRepository executions, ExecutionStatements statements,
            OutboxWriter outbox) {
        this.pool = pool;
        this.executions = executions;
        this.statements = statements;
        this.outbox = outbox;
    }

    /** A durable boundary (see {@link RunServices#commitBoundary}); a null {@code integrationEvent} publishes none. */
    Uni<Boolean> boundary(ExecutionRecord execution, List<StepRecord> steps, List<EventPayload> events,
            NexusEvent<JsonNode> integrationEvent, Instant now) {
        return pool.withTransaction(tx -> executions.markRunning(tx, execution.id(), now).chain(live -> {
            if (!live) {
                return rollback();
            }
            return executions.saveSteps(tx, execution.id(), steps)
                    .chain(() -> outbox.append(tx, events))
                    .chain(() -> integrationEvent == null
                            ? Uni.createFrom().voidItem()
                            : outbox.append(tx, integrationEvent, Topics.integration(execution.tenantId()
                                    .toString())))
                    .replaceWith(Boolean.TRUE);
        })).onFailure(NotLive.class).recoverWithItem(Boolean.FALSE);
    }

    /** The end: one statement (see {@link ExecutionStatements}), so one commit and no lock held across a round trip. */
    Uni<Boolean> end(ExecutionRecord execution, ExecutionStatus status, JsonNode outputs, ExecutionError error,
            Instant startedAt, Instant finishedAt, List<StepRecord> steps, List<EventPayload> stepEvents) {
        List<OutboxRow> events = new ArrayList<>(stepEvents.size() + 1);
        for (EventPayload event : stepEvents) {
            events.add(outbox.rowFor(event));
        }
        events.add(outbox.rowFor(endEvent(execution, status, error, startedAt, finishedAt)));
        return statements.end(execution.id(), status, outputs == null ? null : outputs.toString(), error, startedAt,
                finishedAt, steps, events);
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

    /** Rolls the transaction back: the execution ended elsewhere. */
    private static final class NotLive extends RuntimeException {
        NotLive() {
            super("the execution has ended", null, false, false);
        }
    }
}
