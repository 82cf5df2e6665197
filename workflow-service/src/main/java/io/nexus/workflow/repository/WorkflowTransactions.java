package io.nexus.workflow.repository;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.nexus.common.outbox.OutboxWriter;
import io.nexus.events.workflow.WorkflowDeleted;
import io.nexus.events.workflow.WorkflowRegistered;
import io.nexus.events.workflow.WorkflowUpdated;
import io.nexus.workflow.domain.WorkflowVersionRecord;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The writes that change workflows, each committed as one transaction with the event that announces it on
 * {@code nexus.workflows} (through the outbox). Versions are immutable: a change adds one.
 */
@ApplicationScoped
public class WorkflowTransactions {

    private final Pool pool;
    private final WorkflowRepository workflows;
    private final TenantQuotaRepository quotas;
    private final OutboxWriter outbox;

    public WorkflowTransactions(Pool pool, WorkflowRepository workflows, TenantQuotaRepository quotas,
            OutboxWriter outbox) {
        this.pool = pool;
        this.workflows = workflows;
        this.quotas = quotas;
        this.outbox = outbox;
    }

    /**
     * Registers a new workflow at version 1 unless the tenant has used its {@code workflows} quota
     * ({@code defaultQuota} while the tenant projection does not know the tenant). Registrations of one tenant are
     * serialized, so that two at once cannot both pass the quota. A name the tenant already has fails the Uni with
     * the database's unique violation.
     */
    public Uni<Registration> register(UUID tenant, WorkflowVersionRecord version, String description,
            long defaultQuota) {
        return pool.withTransaction(tx -> workflows.lockTenant(tx, tenant)
                .chain(() -> workflows.countLive(tx, tenant))
                .chain(count -> quotas.workflowsQuota(tx, tenant, defaultQuota).chain(limit -> {
                    if (count >= limit) {
                        return Uni.createFrom().item(new Registration(false, count, limit));
                    }
                    Instant at = version.versionCreatedAt();
                    return workflows.insertWorkflow(tx, version.workflowId(), tenant, version.name(), description, at)
                            .chain(() -> workflows.insertVersion(tx, version.versionId(), version.workflowId(), tenant,
                                    1, version.definition(), at))
                            .chain(() -> outbox.append(tx, List.of(new WorkflowRegistered(tenant.toString(),
                                    version.name(), 1, at))))
                            .replaceWith(new Registration(true, count + 1, limit));
                })));
    }

    /**
     * Adds the next version of the tenant's workflow {@code name} (its description follows the new definition); null,
     * and nothing written, when the tenant has no such workflow.
     */
    public Uni<WorkflowVersionRecord> addVersion(UUID tenant, String name, String description, UUID versionId,
            JsonNode definition, Instant now) {
        return pool.withTransaction(tx -> workflows.nextVersion(tx, tenant, name, description, now).chain(next -> {
            if (next == null) {
                return Uni.createFrom().nullItem();
            }
            return workflows.insertVersion(tx, versionId, next.workflowId(), tenant, next.version(), definition, now)
                    .chain(() -> outbox.append(tx, List.of(new WorkflowUpdated(tenant.toString(), name,
                            next.version(), now))))
                    .replaceWith(new WorkflowVersionRecord(next.workflowId(), versionId, name, next.version(),
                            next.version(), definition, next.workflowCreatedAt(), now));
        }));
    }

    /** Deletes the tenant's workflow; false, and nothing written, when it has none of that name. */
    public Uni<Boolean> delete(UUID tenant, String name, Instant now) {
        return pool.withTransaction(tx -> workflows.markDeleted(tx, tenant, name, now).chain(deleted -> deleted
                ? outbox.append(tx, List.of(new WorkflowDeleted(tenant.toString(), name, now))).replaceWith(true)
                : Uni.createFrom().item(false)));
    }

    /** Whether the registration happened; the tenant's live workflows and its quota either way. */
    public record Registration(boolean registered, long workflows, long limit) {
    }
}
