package io.nexus.tenant.service;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.nexus.common.consumer.IdempotentConsumer;
import io.nexus.events.EventPayload;
import io.nexus.events.NexusEvent;
import io.nexus.events.execution.ExecutionCancelled;
import io.nexus.events.execution.ExecutionCompleted;
import io.nexus.events.execution.ExecutionFailed;
import io.nexus.events.execution.ExecutionStarted;
import io.nexus.events.session.SessionClosed;
import io.nexus.events.session.SessionCreated;
import io.nexus.events.session.SessionExpired;
import io.nexus.events.workflow.WorkflowDeleted;
import io.nexus.events.workflow.WorkflowRegistered;
import io.nexus.tenant.repository.UsageRepository;
import io.smallrye.mutiny.Uni;

/**
 * Keeps the usage counters from the other services' events, once per event (de-duplicated with the counter update in
 * one transaction): registered workflows, executions per UTC day, executions and sessions currently open.
 */
@ApplicationScoped
public class UsageProjection {

    static final String CONSUMER = "tenant-usage";

    private final IdempotentConsumer consumer;
    private final UsageRepository usage;

    public UsageProjection(IdempotentConsumer consumer, UsageRepository usage) {
        this.consumer = consumer;
        this.usage = usage;
    }

    @Incoming("workflow-events")
    public Uni<Void> onWorkflowEvent(byte[] message) {
        return consume(message);
    }

    @Incoming("execution-events")
    public Uni<Void> onExecutionEvent(byte[] message) {
        return consume(message);
    }

    @Incoming("session-events")
    public Uni<Void> onSessionEvent(byte[] message) {
        return consume(message);
    }

    private Uni<Void> consume(byte[] message) {
        return consumer.consumeAny(CONSUMER, message, this::apply).replaceWithVoid();
    }

    private Uni<Void> apply(NexusEvent<?> event) {
        if (!(event.data() instanceof EventPayload payload) || payload.tenantId() == null) {
            return Uni.createFrom().voidItem();
        }
        UUID tenant;
        try {
            tenant = UUID.fromString(payload.tenantId());
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().voidItem();
        }
        if (payload instanceof WorkflowRegistered) {
            return total(tenant, UsageCounters.WORKFLOWS, 1);
        } else if (payload instanceof WorkflowDeleted) {
            return total(tenant, UsageCounters.WORKFLOWS, -1);
        } else if (payload instanceof ExecutionStarted started) {
            return usage.add(tenant, UsageCounters.EXECUTIONS, day(started.startedAt()), 1)
                    .chain(() -> total(tenant, UsageCounters.CONCURRENT_EXECUTIONS, 1));
        } else if (payload instanceof ExecutionCompleted || payload instanceof ExecutionFailed
                || payload instanceof ExecutionCancelled) {
            return total(tenant, UsageCounters.CONCURRENT_EXECUTIONS, -1);
        } else if (payload instanceof SessionCreated) {
            return total(tenant, UsageCounters.CONCURRENT_SESSIONS, 1);
        } else if (payload instanceof SessionExpired || payload instanceof SessionClosed) {
            return total(tenant, UsageCounters.CONCURRENT_SESSIONS, -1);
        }
        return Uni.createFrom().voidItem();
    }

    private Uni<Void> total(UUID tenant, String counter, long delta) {
        return usage.add(tenant, counter, UsageRepository.TOTAL, delta);
    }

    private static LocalDate day(java.time.Instant at) {
        return at.atOffset(ZoneOffset.UTC).toLocalDate();
    }
}
