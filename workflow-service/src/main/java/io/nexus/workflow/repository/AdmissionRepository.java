package io.nexus.workflow.repository;

import java.time.LocalDate;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.nexus.workflow.domain.TenantQuotas;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Admission counters (CONTRACT §4). Taking a slot is one statement that checks both quotas against the tenant
 * projection and counts the start, so concurrent starts can never overshoot; its row lock lasts only until the start
 * commits.
 */
@ApplicationScoped
public class AdmissionRepository {

    private static final String ADMIT = """
            WITH q AS (SELECT coalesce((SELECT concurrent_executions FROM tenant_quotas WHERE tenant_id = $1), $3) AS concurrent,
                              coalesce((SELECT executions_per_day FROM tenant_quotas WHERE tenant_id = $1), $4) AS daily)
            INSERT INTO tenant_admission AS a (tenant_id, active, day, day_count)
            SELECT $1, 1, $2, 1 FROM q WHERE q.concurrent >= 1 AND q.daily >= 1
            ON CONFLICT (tenant_id) DO UPDATE SET active = a.active + 1, day = excluded.day,
                day_count = CASE WHEN a.day = excluded.day THEN a.day_count + 1 ELSE 1 END
            WHERE a.active < (SELECT concurrent FROM q)
              AND (a.day <> excluded.day OR a.day_count < (SELECT daily FROM q))
            RETURNING a.active""";

    private static final String STATE = """
            SELECT coalesce(a.active, 0), a.day, coalesce(a.day_count, 0),
                   coalesce(q.concurrent_executions, $2), coalesce(q.executions_per_day, $3)
            FROM (SELECT $1::uuid AS tenant_id) t
            LEFT JOIN tenant_admission a ON a.tenant_id = t.tenant_id
            LEFT JOIN tenant_quotas q ON q.tenant_id = t.tenant_id""";

    /** True when the start was admitted and counted. */
    public Uni<Boolean> admit(SqlConnection tx, UUID tenant, LocalDate today, TenantQuotas defaults) {
        return tx.preparedQuery(ADMIT)
                .execute(Tuple.of(tenant, today, defaults.concurrentExecutions(), defaults.executionsPerDay()))
                .map(rows -> rows.size() == 1);
    }

    /** What a refused start ran into, for its problem detail and Retry-After. */
    public Uni<AdmissionState> state(SqlClient client, UUID tenant, TenantQuotas defaults) {
        return client.preparedQuery(STATE)
                .execute(Tuple.of(tenant, defaults.concurrentExecutions(), defaults.executionsPerDay()))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new AdmissionState(row.getLong(0), row.getLocalDate(1), row.getLong(2), row.getLong(3),
                            row.getLong(4));
                });
    }

    /** An execution ended: its slot is free again. */
    public Uni<Void> release(SqlConnection tx, UUID tenant) {
        return tx.preparedQuery("UPDATE tenant_admission SET active = greatest(active - 1, 0) WHERE tenant_id = $1")
                .execute(Tuple.of(tenant))
                .replaceWithVoid();
    }

    public record AdmissionState(long active, LocalDate day, long dayCount, long concurrentLimit, long dailyLimit) {
    }
}
