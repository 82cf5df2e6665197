package io.nexus.workflow.repository;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Signals sent to executions (docs/api.md §4). A signal is stored until a {@code wait} node of its name takes it, so one
 * sent before the wait starts is not lost, and each signal resumes at most one wait.
 */
@ApplicationScoped
public class SignalRepository {

    /**
     * Stores the signal and marks the execution signalled (a waiting one becomes due now), in one statement that
     * locks the execution's row: a run parking at the same moment either sees the mark or is already parked and is
     * woken. Returns false when the execution is not the tenant's or has ended.
     */
    private static final String SEND = """
            WITH target AS (
                UPDATE executions SET signalled_at = now(),
                    wake_at = CASE WHEN status = 'waiting' THEN now() ELSE wake_at END
                WHERE id = $1 AND tenant_id = $2 AND status IN ('pending', 'running', 'waiting')
                RETURNING id)
            INSERT INTO execution_signals (execution_id, name, payload)
            SELECT id, $3, $4::text::jsonb FROM target
            RETURNING id""";

    /** Takes the oldest unconsumed signal of a name for a node, inside the transaction that records the node. */
    private static final String TAKE = """
            UPDATE execution_signals SET consumed_by = $3
            WHERE id = (SELECT id FROM execution_signals
                        WHERE execution_id = $1 AND name = $2 AND consumed_by IS NULL
                        ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING payload::text""";

    private final Pool pool;

    public SignalRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Boolean> send(UUID tenant, UUID execution, String name, JsonNode payload) {
        return pool.preparedQuery(SEND)
                .execute(Tuple.of(execution, tenant, name, JsonColumns.write(payload)))
                .map(rows -> rows.size() == 1);
    }

    /** The payload of the signal taken (JSON null when it had none); empty when none is waiting. */
    public Uni<Optional<JsonNode>> take(SqlConnection tx, UUID execution, String name, String node) {
        return tx.preparedQuery(TAKE).execute(Tuple.of(execution, name, node)).map(rows -> {
            if (rows.size() == 0) {
                return Optional.empty();
            }
            JsonNode payload = JsonColumns.read(rows.iterator().next().getString(0));
            return Optional.of(payload == null ? NullNode.getInstance() : payload);
        });
    }
}
