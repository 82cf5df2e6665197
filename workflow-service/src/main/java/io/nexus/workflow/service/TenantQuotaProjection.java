package io.nexus.workflow.service;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.nexus.common.consumer.IdempotentConsumer;
import io.nexus.events.NexusEvent;
import io.nexus.events.tenant.Quotas;
import io.nexus.events.tenant.TenantCreated;
import io.nexus.events.tenant.TenantDeleted;
import io.nexus.events.tenant.TenantSuspended;
import io.nexus.events.tenant.TenantUpdated;
import io.nexus.workflow.domain.TenantQuotas;
import io.nexus.workflow.repository.TenantQuotaRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Keeps this service's copy of every tenant's status, plan and quotas from nexus.tenants, so admission (and retention,
 * which keeps executions as long as the plan says) never calls tenant-service. One consumer group for the service:
 * the projection is shared by its replicas through the database.
 */
@ApplicationScoped
public class TenantQuotaProjection {

    static final String CONSUMER = "workflow-tenant-quotas";

    private final IdempotentConsumer consumer;
    private final TenantQuotaRepository quotas;

    public TenantQuotaProjection(IdempotentConsumer consumer, TenantQuotaRepository quotas) {
        this.consumer = consumer;
        this.quotas = quotas;
    }

    @Incoming("tenant-events")
    public Uni<Void> onTenantEvent(byte[] message) {
        return consumer.consumeAnyWithConnection(CONSUMER, message, this::apply).replaceWithVoid();
    }

    private Uni<Void> apply(SqlConnection tx, NexusEvent<?> event) {
        Object data = event.data();
        if (data instanceof TenantCreated created) {
            return quotas.upsert(tx, UUID.fromString(created.tenantId()), created.status(), created.plan(),
                    of(created.quotas()), created.createdAt());
        } else if (data instanceof TenantUpdated updated) {
            return quotas.upsert(tx, UUID.fromString(updated.tenantId()), updated.status(), updated.plan(),
                    of(updated.quotas()), updated.updatedAt());
        } else if (data instanceof TenantSuspended suspended) {
            return quotas.updateStatus(tx, UUID.fromString(suspended.tenantId()), "suspended",
                    suspended.suspendedAt());
        } else if (data instanceof TenantDeleted deleted) {
            return quotas.updateStatus(tx, UUID.fromString(deleted.tenantId()), "deleted", deleted.deletedAt());
        }
        return Uni.createFrom().voidItem();
    }

    private static TenantQuotas of(Quotas quotas) {
        return new TenantQuotas(quotas.workflows(), quotas.executionsPerDay(), quotas.concurrentExecutions());
    }
}
