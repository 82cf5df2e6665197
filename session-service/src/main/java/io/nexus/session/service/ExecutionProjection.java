package io.nexus.session.service;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.nexus.common.consumer.IdempotentConsumer;
import io.nexus.events.NexusEvent;
import io.nexus.events.execution.ExecutionCancelled;
import io.nexus.events.execution.ExecutionCompleted;
import io.nexus.events.execution.ExecutionFailed;
import io.nexus.events.execution.ExecutionStarted;
import io.nexus.session.repository.SessionExecutionRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * Keeps each session's list of executions from nexus.executions: an execution started with a session is added, and
 * its end recorded. One consumer group for the service.
 *
 * <p>Both effects are idempotent by themselves, so events are not recorded in {@code processed_event} and each is at
 * most one statement in its own implicit transaction: the start inserts with ON CONFLICT DO NOTHING, the end sets the
 * final status only while the execution is still running (a replayed or later end, or a start replayed after the
 * end, changes nothing). Most executions have no session: their start sends nothing to the database and their end is
 * an update that matches no row, so neither writes or commits anything to disk.
 */
@ApplicationScoped
public class ExecutionProjection {

    static final String CONSUMER = "session-executions";

    private final IdempotentConsumer consumer;
    private final SessionExecutionRepository executions;

    public ExecutionProjection(IdempotentConsumer consumer, SessionExecutionRepository executions) {
        this.consumer = consumer;
        this.executions = executions;
    }

    @Incoming("execution-events")
    public Uni<Void> onExecutionEvent(byte[] message) {
        return consumer.consumeAnyIdempotentEffect(CONSUMER, message, this::apply);
    }

    private Uni<Void> apply(SqlClient client, NexusEvent<?> event) {
        Object data = event.data();
        if (data instanceof ExecutionStarted started) {
            return started.sessionId() == null ? Uni.createFrom().voidItem() : executions.started(client, started);
        } else if (data instanceof ExecutionCompleted completed) {
            return executions.ended(client, UUID.fromString(completed.executionId()), "completed",
                    completed.finishedAt());
        } else if (data instanceof ExecutionFailed failed) {
            return executions.ended(client, UUID.fromString(failed.executionId()), "failed", failed.finishedAt());
        } else if (data instanceof ExecutionCancelled cancelled) {
            return executions.ended(client, UUID.fromString(cancelled.executionId()), "cancelled",
                    cancelled.finishedAt());
        }
        return Uni.createFrom().voidItem();
    }
}
