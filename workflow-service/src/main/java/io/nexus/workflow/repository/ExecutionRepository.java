package io.nexus.workflow.repository;

import static io.nexus.workflow.repository.WorkflowRepository.instant;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

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

    static final String COLUMNS = "id, tenant_id, workflow, workflow_version_id, version, status, mode, "
            + "channel, session_id, inputs::text, outputs::text, error::text, deadline_at, created_at, started_at, "
            + "finished_at";
    private static final String NOT_TERMINAL = "('pending', 'running', 'waiting')";

    private static final String PROGRESS = "SELECT e.status, e.outputs::text, e.error::text, e.deadline_at, "
            + "e.created_at, e.started_at, e.finished_at, s.node, s.position, s.status, s.attempts, s.started_at, "
            + "s.finished_at, s.output::text, s.error::text FROM executions e "
            + "LEFT JOIN execution_steps s ON s.execution_id = e.id AND (s.node, s.status, s.attempts) NOT IN "
            + "(SELECT * FROM unnest($3::text[], $4::text[], $5::int[])) "
            + "WHERE e.id = $1 AND e.tenant_id = $2 ORDER BY s.position";

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

    /** The tenant's execution; null when missing or another tenant's (the same answer, docs/api.md §2). */
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

    // ---------------------------------------------------------------- event streams (GET /executions/{id}/events)
    // A stream polls several times a second, so each poll is one statement (one snapshot of the execution and its
    // steps) that leaves out the steps the stream has already sent as they are: only new or changed steps, with
    // their outputs, cross the wire.

    /** Whether the tenant owns the execution (another tenant's answers false, like a missing one). */
    public Uni<Boolean> exists(UUID tenant, UUID id) {
        return pool.preparedQuery("SELECT 1 FROM executions WHERE id = $1 AND tenant_id = $2")
                .execute(Tuple.of(id, tenant))
                .map(rows -> rows.size() > 0);
    }

    /**
     * The execution's state and the steps that differ from {@code sent} (by status or attempts, or not in it at all),
     * in definition order; null when the tenant has no such execution.
     */
    public Uni<Progress> progress(UUID tenant, UUID id, List<SentStep> sent) {
        String[] nodes = new String[sent.size()];
        String[] statuses = new String[sent.size()];
        Integer[] attempts = new Integer[sent.size()];
        for (int i = 0; i < sent.size(); i++) {
            nodes[i] = sent.get(i).node();
            statuses[i] = sent.get(i).status().wire();
            attempts[i] = sent.get(i).attempts();
        }
        return pool.preparedQuery(PROGRESS)
                .execute(Tuple.tuple().addUUID(id).addUUID(tenant).addArrayOfString(nodes)
                        .addArrayOfString(statuses).addArrayOfInteger(attempts))
                .map(ExecutionRepository::progress);
    }

    private static Progress progress(RowSet<Row> rows) {
        Progress progress = null;
        List<StepRecord> steps = new ArrayList<>();
        for (Row row : rows) {
            if (progress == null) {
                progress = new Progress(ExecutionStatus.fromWire(row.getString(0)), JsonColumns.read(row.getString(1)),
                        JsonColumns.readError(row.getString(2)), instant(row, 3), instant(row, 4), instant(row, 5),
                        instant(row, 6), steps);
            }
            if (row.getString(7) != null) {
                steps.add(new StepRecord(row.getString(7), row.getInteger(8), StepStatus.fromWire(row.getString(9)),
                        row.getInteger(10), instant(row, 11), instant(row, 12), JsonColumns.read(row.getString(13)),
                        JsonColumns.readError(row.getString(14))));
            }
        }
        return progress;
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

    static String prefixed(String alias) {
        StringBuilder columns = new StringBuilder();
        for (String column : COLUMNS.split(", ")) {
            if (columns.length() > 0) {
                columns.append(", ");
            }
            columns.append(alias).append(column);
        }
        return columns.toString();
    }

    static List<ExecutionRecord> executions(RowSet<Row> rows) {
        List<ExecutionRecord> page = new ArrayList<>(rows.size());
        for (Row row : rows) {
            page.add(execution(row));
        }
        return page;
    }

    static ExecutionRecord execution(Row row) {
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

    /** A step as a stream last sent it. */
    public record SentStep(String node, StepStatus status, int attempts) {
    }

    /** An execution as a poll sees it: its state, and its steps that changed since the stream's last poll. */
    public record Progress(ExecutionStatus status, JsonNode outputs, ExecutionError error, Instant deadlineAt,
            Instant createdAt, Instant startedAt, Instant finishedAt, List<StepRecord> changedSteps) {
    }
}
