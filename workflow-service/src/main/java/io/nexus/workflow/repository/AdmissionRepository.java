package io.nexus.workflow.repository;

import java.time.LocalDate;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.nexus.workflow.domain.TenantQuotas;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Admission (docs/api.md §4). Taking a slot is part of the start statement ({@link ExecutionStatements}); a slot frees
 * itself when its execution ends, however it ends. This explains refusals.
 */
@ApplicationScoped
public class AdmissionRepository {

    private static final String STATE = """
            SELECT (SELECT count(*) FROM executions e
                    WHERE e.tenant_id = t.tenant_id AND e.status IN ('pending', 'running', 'waiting')
                      AND e.parent_id IS NULL),
                   a.day, coalesce(a.day_count, 0),
                   coalesce(q.concurrent_executions, $2), coalesce(q.executions_per_day, $3)
            FROM (SELECT $1::uuid AS tenant_id) t
            LEFT JOIN tenant_admission a ON a.tenant_id = t.tenant_id
            LEFT JOIN tenant_quotas q ON q.tenant_id = t.tenant_id""";

    private final Pool pool;

    public AdmissionRepository(Pool pool) {
        this.pool = pool;
    }

    /** What a refused start ran into, for its problem detail and Retry-After. */
    public Uni<AdmissionState> state(UUID tenant, TenantQuotas defaults) {
        return pool.preparedQuery(STATE)
                .execute(Tuple.of(tenant, defaults.concurrentExecutions(), defaults.executionsPerDay()))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new AdmissionState(row.getLong(0), row.getLocalDate(1), row.getLong(2), row.getLong(3),
                            row.getLong(4));
                });
    }

    public record AdmissionState(long active, LocalDate day, long dayCount, long concurrentLimit, long dailyLimit) {
    }
}
