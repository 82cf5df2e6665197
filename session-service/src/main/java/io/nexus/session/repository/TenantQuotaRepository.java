package io.nexus.session.repository;

import static io.nexus.session.repository.Timestamps.utc;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** This service's projection of the tenants' status and concurrentSessions quota, fed by nexus.tenants events. */
@ApplicationScoped
public class TenantQuotaRepository {

    /** Applies a newer state; an older event arriving late changes nothing. */
    public Uni<Void> upsert(SqlClient client, UUID tenant, String status, long concurrentSessions, Instant at) {
        return client.preparedQuery("""
                INSERT INTO tenant_quotas AS t (tenant_id, status, concurrent_sessions, updated_at)
                VALUES ($1, $2, $3, $4)
                ON CONFLICT (tenant_id) DO UPDATE SET status = excluded.status,
                    concurrent_sessions = excluded.concurrent_sessions, updated_at = excluded.updated_at
                WHERE t.updated_at <= excluded.updated_at""")
                .execute(Tuple.of(tenant, status, concurrentSessions, utc(at)))
                .replaceWithVoid();
    }

    public Uni<Void> updateStatus(SqlClient client, UUID tenant, String status, Instant at) {
        return client.preparedQuery("UPDATE tenant_quotas SET status = $2, updated_at = $3 "
                + "WHERE tenant_id = $1 AND updated_at <= $3")
                .execute(Tuple.of(tenant, status, utc(at)))
                .replaceWithVoid();
    }

    /** The concurrentSessions quota, or {@code fallback} before the projection knows the tenant. */
    public Uni<Long> concurrentSessions(SqlClient client, UUID tenant, long fallback) {
        return client.preparedQuery("SELECT coalesce((SELECT concurrent_sessions FROM tenant_quotas "
                + "WHERE tenant_id = $1), $2)")
                .execute(Tuple.of(tenant, fallback))
                .map(rows -> rows.iterator().next().getLong(0));
    }
}
