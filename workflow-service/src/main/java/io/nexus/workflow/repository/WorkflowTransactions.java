package io.nexus.workflow.repository;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.nexus.common.outbox.OutboxWriter;
import io.nexus.events.workflow.WorkflowDeleted;
import io.nexus.events.workflow.WorkflowInstallFailed;
import io.nexus.events.workflow.WorkflowInstalled;
import io.nexus.events.workflow.WorkflowRegistered;
import io.nexus.events.workflow.WorkflowUpdated;
import io.nexus.workflow.domain.WorkflowVersionRecord;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

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
     * A marketplace install, in the consuming transaction {@code tx} (the consumer records the event in the same
     * one): creates the workflow at version 1 with {@code WorkflowRegistered} and {@code WorkflowInstalled}, unless the
     * name is taken or the {@code workflows} quota is used up, in which case only {@code WorkflowInstallFailed} is
     * written. When the name holds the install of the same item version already, the install completes without a
     * second workflow: installing twice yields one workflow.
     */
    public Uni<InstallOutcome> install(SqlConnection tx, UUID tenant, WorkflowVersionRecord version, String description,
            InstallSource source, long defaultQuota) {
        Instant at = version.versionCreatedAt();
        String name = version.name();
        return workflows.lockTenant(tx, tenant)
                .chain(() -> workflows.installedFrom(tx, tenant, name))
                .chain(existing -> {
                    if (existing.isPresent()) {
                        return existing.get().equals(source.key())
                                ? completed(tx, tenant, name, source, at, InstallOutcome.ALREADY_INSTALLED)
                                : failed(tx, tenant, name, source, at, "a workflow named '" + name + "' exists in "
                                        + "the tenant; install under another name (as)", InstallOutcome.NAME_TAKEN);
                    }
                    return workflows.countLive(tx, tenant)
                            .chain(count -> quotas.workflowsQuota(tx, tenant, defaultQuota).chain(limit -> count >= limit
                                    ? failed(tx, tenant, name, source, at, "the tenant has " + count + " workflows, its "
                                            + "workflows quota is " + limit, InstallOutcome.OVER_QUOTA)
                                    : workflows.insertWorkflow(tx, version.workflowId(), tenant, name, description, at)
                                            .chain(() -> workflows.markInstalledFrom(tx, version.workflowId(),
                                                    source.key()))
                                            .chain(() -> workflows.insertVersion(tx, version.versionId(),
                                                    version.workflowId(), tenant, 1, version.definition(), at))
                                            .chain(() -> outbox.append(tx, List.of(new WorkflowRegistered(
                                                    tenant.toString(), name, 1, at))))
                                            .chain(() -> completed(tx, tenant, name, source, at,
                                                    InstallOutcome.INSTALLED))));
                });
    }

    /** Records an install that cannot create its workflow (an invalid definition), with the reason. */
    public Uni<InstallOutcome> installFailed(SqlConnection tx, UUID tenant, String name, InstallSource source,
            String reason, Instant at) {
        return failed(tx, tenant, name, source, at, reason, InstallOutcome.INVALID);
    }

    private Uni<InstallOutcome> completed(SqlConnection tx, UUID tenant, String name, InstallSource source,
            Instant at, InstallOutcome outcome) {
        return outbox.append(tx, List.of(new WorkflowInstalled(tenant.toString(), name, source.installId(),
                source.itemId(), source.itemVersion(), at))).replaceWith(outcome);
    }

    private Uni<InstallOutcome> failed(SqlConnection tx, UUID tenant, String name, InstallSource source, Instant at,
            String reason, InstallOutcome outcome) {
        return outbox.append(tx, List.of(new WorkflowInstallFailed(tenant.toString(), name, source.installId(),
                source.itemId(), source.itemVersion(), reason, at))).replaceWith(outcome);
    }

    /** Which install a workflow comes from; {@code key()} is what the workflow row remembers. */
    public record InstallSource(String installId, String itemId, String itemVersion) {
        String key() {
            return itemId + "@" + itemVersion;
        }
    }

    /** How an install ended. */
    public enum InstallOutcome {
        INSTALLED, ALREADY_INSTALLED, NAME_TAKEN, OVER_QUOTA, INVALID
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
