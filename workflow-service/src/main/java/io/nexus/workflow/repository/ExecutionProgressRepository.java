package io.nexus.workflow.repository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.nexus.workflow.domain.ExecutionError;
import io.nexus.workflow.domain.ExecutionStatus;
import io.nexus.workflow.domain.StepRecord;
import io.nexus.workflow.domain.StepStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The reads of execution event streams. A stream polls several times a second, so each poll is one statement (one
 * snapshot of the execution and its steps) that leaves out the steps the stream has already sent as they are: only
 * new or changed steps, with their outputs, cross the wire.
 */
@ApplicationScoped
public class ExecutionProgressRepository {

    private static final String PROGRESS = "SELECT e.status, e.outputs::text, e.error::text, e.deadline_at, "
            + "e.created_at, e.started_at, e.finished_at, s.node, s.position, s.status, s.attempts, s.started_at, "
            + "s.finished_at, s.output::text, s.error::text FROM executions e "
            + "LEFT JOIN execution_steps s ON s.execution_id = e.id AND (s.node, s.status, s.attempts) NOT IN "
            + "(SELECT * FROM unnest($3::text[], $4::text[], $5::int[])) "
            + "WHERE e.id = $1 AND e.tenant_id = $2 ORDER BY s.position";

    private final Pool pool;

    public ExecutionProgressRepository(Pool pool) {
        this.pool = pool;
    }

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
                .map(ExecutionProgressRepository::progress);
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

    private static Instant instant(Row row, int column) {
        var value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }

    /** A step as a stream last sent it. */
    public record SentStep(String node, StepStatus status, int attempts) {
    }

    /** An execution as a poll sees it: its state, and its steps that changed since the stream's last poll. */
    public record Progress(ExecutionStatus status, JsonNode outputs, ExecutionError error, Instant deadlineAt,
            Instant createdAt, Instant startedAt, Instant finishedAt, List<StepRecord> changedSteps) {
    }
}
