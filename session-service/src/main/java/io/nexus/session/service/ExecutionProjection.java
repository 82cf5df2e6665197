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
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Keeps each session's list of executions from nexus.executions: an execution started with a session is added, and
 * its end recorded. One consumer group for the service; idempotent per event, one transaction per message.
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
        return consumer.consumeAnyWithConnection(CONSUMER, message, this::apply).replaceWithVoid();
    }

    private Uni<Void> apply(SqlConnection tx, NexusEvent<?> event) {
        Object data = event.data();
        if (data instanceof ExecutionStarted started) {
            return started.sessionId() == null ? Uni.createFrom().voidItem() : executions.started(tx, started);
        } else if (data instanceof ExecutionCompleted completed) {
            return executions.ended(tx, UUID.fromString(completed.executionId()), "completed",
                    completed.finishedAt());
        } else if (data instanceof ExecutionFailed failed) {
            return executions.ended(tx, UUID.fromString(failed.executionId()), "failed", failed.finishedAt());
        } else if (data instanceof ExecutionCancelled cancelled) {
            return executions.ended(tx, UUID.fromString(cancelled.executionId()), "cancelled",
                    cancelled.finishedAt());
        }
        return Uni.createFrom().voidItem();
    }
}
