package io.nexus.workflow.repository;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.nexus.workflow.domain.TenantQuotas;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** This service's projection of the tenants' status, plan and quotas, fed by nexus.tenants events. */
@ApplicationScoped
public class TenantQuotaRepository {

    /**
     * Applies a newer state; an older event arriving late changes nothing. The plan decides how long the tenant's
     * executions are kept (retention).
     */
    public Uni<Void> upsert(SqlClient client, UUID tenant, String status, String plan, TenantQuotas quotas,
            Instant at) {
        return client.preparedQuery("""
                INSERT INTO tenant_quotas AS t (tenant_id, status, plan, workflows, executions_per_day,
                                               concurrent_executions, updated_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7)
                ON CONFLICT (tenant_id) DO UPDATE SET status = excluded.status, plan = excluded.plan,
                    workflows = excluded.workflows, executions_per_day = excluded.executions_per_day,
                    concurrent_executions = excluded.concurrent_executions, updated_at = excluded.updated_at
                WHERE t.updated_at <= excluded.updated_at""")
                .execute(Tuple.from(new Object[] { tenant, status, plan, quotas.workflows(),
                        quotas.executionsPerDay(), quotas.concurrentExecutions(), ExecutionRepository.utc(at) }))
                .replaceWithVoid();
    }

    public Uni<Void> updateStatus(SqlClient client, UUID tenant, String status, Instant at) {
        return client.preparedQuery("UPDATE tenant_quotas SET status = $2, updated_at = $3 "
                + "WHERE tenant_id = $1 AND updated_at <= $3")
                .execute(Tuple.of(tenant, status, ExecutionRepository.utc(at)))
                .replaceWithVoid();
    }

    /** The workflows quota, or {@code fallback} before the projection knows the tenant. */
    public Uni<Long> workflowsQuota(SqlClient client, UUID tenant, long fallback) {
        return client.preparedQuery("SELECT coalesce((SELECT workflows FROM tenant_quotas WHERE tenant_id = $1), $2)")
                .execute(Tuple.of(tenant, fallback))
                .map(rows -> rows.iterator().next().getLong(0));
    }
}
