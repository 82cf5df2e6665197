package io.nexus.workflow.repository;

import static io.nexus.workflow.repository.WorkflowRepository.instant;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.nexus.workflow.domain.ExecutionError;
import io.nexus.workflow.domain.ExecutionMode;
import io.nexus.workflow.domain.ExecutionRecord;
import io.nexus.workflow.domain.ExecutionStatus;
import io.nexus.workflow.domain.StepRecord;
import io.nexus.workflow.domain.StepStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** Executions and their steps. Writes take the connection of the caller's transaction. */
@ApplicationScoped
public class ExecutionRepository {

    private static final String COLUMNS = "id, tenant_id, workflow, workflow_version_id, version, status, mode, "
            + "channel, session_id, inputs::text, outputs::text, error::text, deadline_at, created_at, started_at, "
            + "finished_at";
    private static final String NOT_TERMINAL = "('pending', 'running', 'waiting')";

    private final Pool pool;

    public ExecutionRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Marks a live execution running (at each durable step, in its transaction, which also locks the row until the
     * commit); false when it has ended meanwhile or {@code owner} no longer holds it.
     */
    public Uni<Boolean> markRunning(SqlConnection tx, UUID id, String owner, Instant startedAt) {
        return tx.preparedQuery("UPDATE executions SET status = 'running', started_at = coalesce(started_at, $2) "
                + "WHERE id = $1 AND lease_owner = $3 AND status IN " + NOT_TERMINAL)
                .execute(Tuple.of(id, utc(startedAt), owner))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Writes (or rewrites) steps in one batched statement. */
    public Uni<Void> saveSteps(SqlConnection tx, UUID executionId, List<StepRecord> steps) {
        if (steps.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = new ArrayList<>(steps.size());
        for (StepRecord step : steps) {
            rows.add(Tuple.from(new Object[] { executionId, step.node(), step.position(), step.status().wire(),
                    step.attempts(), utc(step.startedAt()), utc(step.finishedAt()), JsonColumns.write(step.output()),
                    JsonColumns.write(step.error()) }));
        }
        return tx.preparedQuery("INSERT INTO execution_steps (execution_id, node, position, status, attempts, "
                + "started_at, finished_at, output, error) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text::jsonb, "
                + "$9::text::jsonb) ON CONFLICT (execution_id, node) DO UPDATE SET status = excluded.status, "
                + "attempts = excluded.attempts, started_at = excluded.started_at, "
                + "finished_at = excluded.finished_at, output = excluded.output, error = excluded.error")
                .executeBatch(rows)
                .replaceWithVoid();
    }

    /** The tenant's execution; null when missing or another tenant's (the same answer, CONTRACT §2). */
    public Uni<ExecutionRecord> find(UUID tenant, UUID id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM executions WHERE id = $1 AND tenant_id = $2")
                .execute(Tuple.of(id, tenant))
                .map(rows -> rows.size() == 0 ? null : execution(rows.iterator().next()));
    }

    public Uni<List<StepRecord>> steps(UUID executionId) {
        return pool.preparedQuery("SELECT node, position, status, attempts, started_at, finished_at, output::text, "
                + "error::text FROM execution_steps WHERE execution_id = $1 ORDER BY position")
                .execute(Tuple.of(executionId))
                .map(rows -> {
                    List<StepRecord> steps = new ArrayList<>();
                    for (Row row : rows) {
                        steps.add(new StepRecord(row.getString(0), row.getInteger(1),
                                StepStatus.fromWire(row.getString(2)), row.getInteger(3), instant(row, 4),
                                instant(row, 5), JsonColumns.read(row.getString(6)),
                                JsonColumns.readError(row.getString(7))));
                    }
                    return steps;
                });
    }

    /** The tenant's executions, newest first, optionally of one workflow and one status. */
    public Uni<List<ExecutionRecord>> page(UUID tenant, String workflow, ExecutionStatus status, UUID before,
            int limit) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM executions WHERE tenant_id = $1 "
                + "AND ($2::text IS NULL OR workflow = $2) AND ($3::text IS NULL OR status = $3) "
                + "AND ($4::uuid IS NULL OR id < $4) ORDER BY id DESC LIMIT $5")
                .execute(Tuple.of(tenant, workflow, status == null ? null : status.wire(), before, limit))
                .map(ExecutionRepository::executions);
    }

    /** Cancels a live execution of the tenant; the cancelled row, or null when it had ended or is not theirs. */
    public Uni<ExecutionRecord> cancel(SqlConnection tx, UUID tenant, UUID id, ExecutionError error, Instant now) {
        return tx.preparedQuery("UPDATE executions SET status = 'cancelled', error = $3::text::jsonb, finished_at = $4, "
                + "lease_owner = NULL, lease_until = NULL WHERE id = $1 AND tenant_id = $2 AND status IN "
                + NOT_TERMINAL + " RETURNING " + COLUMNS)
                .execute(Tuple.of(id, tenant, JsonColumns.write(error), utc(now)))
                .map(rows -> rows.size() == 0 ? null : execution(rows.iterator().next()));
    }

    /** Where an execution sits in its tree: its depth (0 = a root), its root, and the workflows of its ancestors. */
    public record Lineage(int depth, UUID root, List<String> workflows) {
    }

    public Uni<Lineage> lineage(UUID id) {
        return pool.preparedQuery("SELECT depth, coalesce(root_id, id), lineage FROM executions WHERE id = $1")
                .execute(Tuple.of(id))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Lineage(row.getInteger(0), row.getUUID(1), List.of(row.getArrayOfStrings(2)));
                });
    }

    /** Inserts a child execution (pending, held by nobody) in the transaction of its parent's subworkflow step. */
    public Uni<Void> insertChild(SqlConnection tx, ExecutionRecord child, UUID parent, String parentNode,
            Lineage parentLineage, String parentWorkflow) {
        List<String> lineage = new ArrayList<>(parentLineage.workflows());
        lineage.add(parentWorkflow);
        return tx.preparedQuery("INSERT INTO executions (id, tenant_id, workflow, workflow_version_id, version, status, "
                + "mode, channel, session_id, inputs, deadline_at, created_at, parent_id, parent_node, root_id, depth, "
                + "lineage) VALUES ($1, $2, $3, $4, $5, 'pending', 'async', $6, $7, $8::text::jsonb, $9, $10, $11, $12, "
                + "$13, $14, $15)")
                .execute(Tuple.from(new Object[] { child.id(), child.tenantId(), child.workflow(),
                        child.workflowVersionId(), child.version(), child.channel(), child.sessionId(),
                        JsonColumns.write(child.inputs()), utc(child.deadlineAt()), utc(child.createdAt()), parent,
                        parentNode, parentLineage.root(), parentLineage.depth() + 1, lineage.toArray(new String[0]) }))
                .replaceWithVoid();
    }

    /** A child execution as its parent's subworkflow node sees it. */
    public Uni<ExecutionRecord> findById(UUID id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM executions WHERE id = $1")
                .execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? null : execution(rows.iterator().next()));
    }

    /** Cancels every live descendant of a cancelled execution, in its transaction; returns them. */
    public Uni<List<ExecutionRecord>> cancelDescendants(SqlConnection tx, UUID id, ExecutionError error,
            Instant now) {
        return tx.preparedQuery("""
                WITH RECURSIVE tree AS (SELECT id FROM executions WHERE parent_id = $1
                                        UNION ALL
                                        SELECT e.id FROM executions e JOIN tree t ON e.parent_id = t.id)
                UPDATE executions SET status = 'cancelled', error = $2::text::jsonb, finished_at = $3,
                    lease_owner = NULL, lease_until = NULL, wake_at = NULL
                WHERE id IN (SELECT id FROM tree) AND status IN ('pending', 'running', 'waiting')
                RETURNING\s""" + COLUMNS)
                .execute(Tuple.of(id, JsonColumns.write(error), utc(now)))
                .map(ExecutionRepository::executions);
    }

    /** A child ended outside its run (cancelled): its parent, if waiting for it, is due now. */
    public Uni<Void> wakeParent(SqlConnection tx, UUID child) {
        return tx.preparedQuery("UPDATE executions p SET signalled_at = now(), "
                + "wake_at = CASE WHEN p.status = 'waiting' THEN now() ELSE p.wake_at END "
                + "FROM executions c WHERE c.id = $1 AND p.id = c.parent_id "
                + "AND p.status IN ('pending', 'running', 'waiting')")
                .execute(Tuple.of(child))
                .replaceWithVoid();
    }

    /**
     * Claims up to {@code limit} executions that need a replica, for {@code owner} and {@code leaseMs}: pending ones
     * nobody holds (oldest first), running ones whose holder's lease ran out (it died: re-driven from the last
     * committed step), and waiting ones that are due. Locked rows are skipped, so replicas claiming at once never
     * take the same execution.
     */
    public Uni<List<ExecutionRecord>> claim(String owner, int limit, long leaseMs) {
        return pool.preparedQuery("""
                WITH pending AS (SELECT id FROM executions WHERE status = 'pending'
                                   AND (lease_until IS NULL OR lease_until < now())
                                 ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED),
                     orphaned AS (SELECT id FROM executions WHERE status = 'running'
                                    AND (lease_until IS NULL OR lease_until < now())
                                  ORDER BY lease_until NULLS FIRST LIMIT $2 FOR UPDATE SKIP LOCKED),
                     due AS (SELECT id FROM executions WHERE status = 'waiting' AND wake_at <= now()
                             ORDER BY wake_at LIMIT $2 FOR UPDATE SKIP LOCKED),
                     chosen AS (SELECT id FROM (SELECT id FROM pending UNION ALL SELECT id FROM orphaned
                                                UNION ALL SELECT id FROM due) c LIMIT $2)
                UPDATE executions e SET lease_owner = $1, lease_until = now() + $3::bigint * interval '1 millisecond',
                    status = CASE WHEN e.status = 'waiting' THEN 'running' ELSE e.status END,
                    wake_at = NULL, signalled_at = NULL
                FROM chosen WHERE e.id = chosen.id
                RETURNING\s""" + prefixed("e."))
                .execute(Tuple.of(owner, limit, leaseMs))
                .map(ExecutionRepository::executions);
    }

    /**
     * Claims one parked execution if it is due (the in-memory timer of the replica that parked it; the periodic claim
     * is the fallback); null when it is not due or somebody else has it.
     */
    public Uni<ExecutionRecord> claimDue(UUID id, String owner, long leaseMs) {
        return pool.preparedQuery("UPDATE executions SET lease_owner = $2, "
                + "lease_until = now() + $3::bigint * interval '1 millisecond', status = 'running', wake_at = NULL, "
                + "signalled_at = NULL WHERE id = (SELECT id FROM executions WHERE id = $1 AND status = 'waiting' "
                + "AND wake_at <= now() FOR UPDATE SKIP LOCKED) RETURNING " + COLUMNS)
                .execute(Tuple.of(id, owner, leaseMs))
                .map(rows -> rows.size() == 0 ? null : execution(rows.iterator().next()));
    }

    /** Extends every lease {@code owner} holds; one statement per renewal round, however many it runs. */
    public Uni<Integer> renewLeases(String owner, long leaseMs) {
        return pool.preparedQuery("UPDATE executions SET lease_until = now() + $2::bigint * interval '1 millisecond' "
                + "WHERE lease_owner = $1 AND status IN ('pending', 'running')")
                .execute(Tuple.of(owner, leaseMs))
                .map(RowSet::rowCount);
    }

    /** Hands back what this replica holds when it stops, so that another replica takes it over at once. */
    public Uni<Integer> releaseLeases(String owner) {
        return pool.preparedQuery("UPDATE executions SET lease_owner = NULL, lease_until = NULL "
                + "WHERE lease_owner = $1 AND status IN ('pending', 'running')")
                .execute(Tuple.of(owner))
                .map(RowSet::rowCount);
    }

    private static String prefixed(String alias) {
        StringBuilder columns = new StringBuilder();
        for (String column : COLUMNS.split(", ")) {
            if (columns.length() > 0) {
                columns.append(", ");
            }
            columns.append(alias).append(column);
        }
        return columns.toString();
    }

    private static List<ExecutionRecord> executions(RowSet<Row> rows) {
        List<ExecutionRecord> page = new ArrayList<>(rows.size());
        for (Row row : rows) {
            page.add(execution(row));
        }
        return page;
    }

    private static ExecutionRecord execution(Row row) {
        return new ExecutionRecord(row.getUUID(0), row.getUUID(1), row.getString(2), row.getUUID(3),
                row.getInteger(4), ExecutionStatus.fromWire(row.getString(5)),
                "async".equals(row.getString(6)) ? ExecutionMode.ASYNC : ExecutionMode.SYNC, row.getString(7),
                row.getString(8), JsonColumns.read(row.getString(9)), JsonColumns.read(row.getString(10)),
                JsonColumns.readError(row.getString(11)), instant(row, 12), instant(row, 13), instant(row, 14),
                instant(row, 15));
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
