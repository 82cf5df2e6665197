package io.nexus.workflow.repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Deleting ended executions once their tenant's plan no longer keeps them (retention, docs/api.md §4.4). A root
 * execution is deleted together with its tree: its child executions (any depth), and through their foreign keys
 * every step and signal of them, and the Idempotency-Key rows that point at it. A tree with any execution still
 * live (a child may outlive its root) is left whole until that one ends.
 *
 * <p>Both statements use the partial index {@code executions_retention} (V11) on the ended roots, so their cost
 * follows what there is to delete, not the size of the history that is kept.
 */
@ApplicationScoped
public class ExecutionHistory {

    /** Where a tenant's sweep starts: before any (finished_at, id). */
    public static final Cursor START = new Cursor(Instant.parse("1970-01-01T00:00:00Z"), new UUID(0, 0));

    /**
     * The tenants that have an ended root execution older than their retention, with that retention in days.
     * Tenants are found by skipping through the index (one probe per tenant with ended executions, however many
     * executions each has); a tenant's plan is its projected one, days from {@code plans}/{@code days}, else
     * {@code defaultDays}.
     */
    private static final String DUE_TENANTS = """
            WITH RECURSIVE tenants AS (
                (SELECT tenant_id FROM executions
                  WHERE parent_id IS NULL AND status IN ('completed', 'failed', 'cancelled')
                  ORDER BY tenant_id LIMIT 1)
                UNION ALL
                SELECT (SELECT e.tenant_id FROM executions e
                         WHERE e.tenant_id > t.tenant_id
                           AND e.parent_id IS NULL AND e.status IN ('completed', 'failed', 'cancelled')
                         ORDER BY e.tenant_id LIMIT 1)
                FROM tenants t WHERE t.tenant_id IS NOT NULL),
            retention AS (
                SELECT t.tenant_id, coalesce(p.days, $3::int) AS days
                FROM tenants t
                LEFT JOIN tenant_quotas q ON q.tenant_id = t.tenant_id
                LEFT JOIN unnest($1::text[], $2::int[]) AS p(plan, days) ON p.plan = q.plan
                WHERE t.tenant_id IS NOT NULL)
            SELECT r.tenant_id, r.days FROM retention r
            WHERE EXISTS (SELECT 1 FROM executions e
                          WHERE e.tenant_id = r.tenant_id
                            AND e.parent_id IS NULL AND e.status IN ('completed', 'failed', 'cancelled')
                            AND e.finished_at < now() - r.days * interval '1 day')""";

    /**
     * One batch: up to $3 of the tenant's expired roots after the cursor, oldest first, locked with SKIP LOCKED (so
     * sweeps on several replicas never take the same tree, and a root someone else holds waits for the next sweep),
     * then their trees, then the deletion of every tree whose executions have all ended. One statement, so one short
     * transaction; the foreign keys to executions are checked at its end, which lets it delete parents and children
     * together. Answers how many roots it examined, the last one (the next batch's cursor), and what it deleted.
     */
    private static final String DELETE_BATCH = """
            WITH RECURSIVE candidates AS (
                SELECT id, finished_at FROM executions
                WHERE tenant_id = $1 AND parent_id IS NULL AND status IN ('completed', 'failed', 'cancelled')
                  AND finished_at < now() - $2::int * interval '1 day'
                  AND (finished_at, id) > ($4::timestamptz, $5::uuid)
                ORDER BY finished_at, id
                LIMIT $3
                FOR UPDATE SKIP LOCKED),
            tree AS (
                SELECT id, id AS root, true AS ended FROM candidates
                UNION ALL
                SELECT e.id, t.root, e.status IN ('completed', 'failed', 'cancelled')
                FROM executions e JOIN tree t ON e.parent_id = t.id),
            doomed AS (
                SELECT id FROM tree WHERE root NOT IN (SELECT root FROM tree WHERE NOT ended)),
            forgotten AS (
                DELETE FROM idempotency_keys WHERE execution_id IN (SELECT id FROM doomed)),
            deleted AS (
                DELETE FROM executions WHERE id IN (SELECT id FROM doomed) RETURNING parent_id IS NULL AS root),
            last AS (
                SELECT finished_at, id FROM candidates ORDER BY finished_at DESC, id DESC LIMIT 1)
            SELECT (SELECT count(*) FROM candidates) AS examined,
                   (SELECT finished_at FROM last) AS last_finished_at, (SELECT id FROM last) AS last_id,
                   (SELECT count(*) FILTER (WHERE root) FROM deleted) AS roots,
                   (SELECT count(*) FROM deleted) AS executions""";

    private final Pool pool;

    public ExecutionHistory(Pool pool) {
        this.pool = pool;
    }

    /** The tenants with something to delete now, and how many days each one's executions are kept. */
    public Uni<List<TenantRetention>> dueTenants(String[] plans, Integer[] days, int defaultDays) {
        return pool.preparedQuery(DUE_TENANTS)
                .execute(Tuple.of(plans, days, defaultDays))
                .map(rows -> {
                    List<TenantRetention> due = new ArrayList<>();
                    for (Row row : rows) {
                        due.add(new TenantRetention(row.getUUID("tenant_id"), row.getInteger("days")));
                    }
                    return due;
                });
    }

    /** Deletes one batch of the tenant's expired trees, at most {@code limit} roots after {@code after}. */
    public Uni<DeletedBatch> deleteBatch(TenantRetention tenant, Cursor after, int limit) {
        return pool.preparedQuery(DELETE_BATCH)
                .execute(Tuple.from(new Object[] { tenant.tenant(), tenant.days(), limit,
                        ExecutionRepository.utc(after.finishedAt()), after.id() }))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    int examined = row.getLong("examined").intValue();
                    OffsetDateTime lastFinished = row.getOffsetDateTime("last_finished_at");
                    Cursor next = examined == 0 ? after : new Cursor(lastFinished.toInstant(), row.getUUID("last_id"));
                    return new DeletedBatch(examined, next, row.getLong("roots").intValue(),
                            row.getLong("executions").intValue());
                });
    }

    /** A tenant whose ended executions are kept {@code days} days. */
    public record TenantRetention(UUID tenant, int days) {
    }

    /** The last root a batch examined: the next batch starts after it. */
    public record Cursor(Instant finishedAt, UUID id) {
    }

    /**
     * What one batch did: roots examined (locked ones are skipped, not examined), the cursor after them, roots
     * deleted (fewer than examined when a tree still has a live execution) and executions deleted, children included.
     */
    public record DeletedBatch(int examined, Cursor next, int roots, int executions) {
    }
}
