package io.nexus.session.repository;

import static io.nexus.session.repository.Timestamps.instant;
import static io.nexus.session.repository.Timestamps.utc;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.nexus.events.execution.ExecutionStarted;
import io.nexus.session.domain.SessionExecution;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** The executions started in each session (table {@code session_executions}), fed by nexus.executions. */
@ApplicationScoped
public class SessionExecutionRepository {

    /**
     * Records an execution started in a session of its tenant; an execution naming a session this service does not
     * know for that tenant (purged, or never created here) is not recorded. Once recorded, the same start again
     * (redelivered, republished) changes nothing, even after the execution ended: one statement, idempotent by itself.
     */
    public Uni<Void> started(SqlClient tx, ExecutionStarted started) {
        return tx.preparedQuery("""
                INSERT INTO session_executions (execution_id, session_id, tenant_id, workflow, version, channel,
                                                parent_execution_id, status, started_at)
                SELECT $1, s.id, s.tenant_id, $4, $5, $6, $7, 'running', $8
                FROM sessions s WHERE s.id = $2 AND s.tenant_id = $3
                ON CONFLICT (execution_id) DO NOTHING""")
                .execute(Tuple.from(new Object[] { UUID.fromString(started.executionId()), started.sessionId(),
                        UUID.fromString(started.tenantId()), started.workflow(), started.version(),
                        started.channel(), started.parentExecutionId() == null ? null
                                : UUID.fromString(started.parentExecutionId()),
                        utc(started.startedAt()) }))
                .replaceWithVoid();
    }

    /**
     * Records how an execution ended; nothing when it was not started in a session. Only a running execution is
     * updated: an end is final, so the same end again (redelivered, republished) or any later one changes nothing and
     * a status never moves back. One statement, idempotent by itself; when it matches no row it writes nothing.
     */
    public Uni<Void> ended(SqlClient tx, UUID executionId, String status, Instant at) {
        return tx.preparedQuery("UPDATE session_executions SET status = $2, finished_at = $3 "
                + "WHERE execution_id = $1 AND status = 'running'")
                .execute(Tuple.of(executionId, status, utc(at)))
                .replaceWithVoid();
    }

    /** A page of the session's executions, newest first, after the execution {@code after} (null: the first). */
    public Uni<List<SessionExecution>> list(SqlClient client, String sessionId, UUID after, int fetch) {
        return client.preparedQuery("""
                SELECT execution_id, workflow, version, channel, parent_execution_id, status, started_at, finished_at
                FROM session_executions
                WHERE session_id = $1 AND ($2::uuid IS NULL OR (started_at, execution_id) <
                      (SELECT started_at, execution_id FROM session_executions WHERE execution_id = $2))
                ORDER BY started_at DESC, execution_id DESC LIMIT $3""")
                .execute(Tuple.of(sessionId, after, fetch))
                .map(rows -> {
                    List<SessionExecution> page = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        UUID parent = row.getUUID(4);
                        page.add(new SessionExecution(row.getUUID(0).toString(), row.getString(1),
                                row.getInteger(2), row.getString(3), parent == null ? null : parent.toString(),
                                row.getString(5), instant(row.getOffsetDateTime(6)),
                                instant(row.getOffsetDateTime(7))));
                    }
                    return page;
                });
    }
}
