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
     * Marks the execution signalled (a waiting one becomes due now) and stores the signal. Runs after {@link #LOCK}
     * in the same transaction: a run parking at the same moment either sees the mark or is already parked and is
     * woken.
     */
    private static final String SEND = """
            WITH target AS (
                UPDATE executions SET signalled_at = now(),
                    wake_at = CASE WHEN status = 'waiting' THEN now() ELSE wake_at END
                WHERE id = $1
                RETURNING id)
            INSERT INTO execution_signals (execution_id, name, payload)
            SELECT id, $2, $3::text::jsonb FROM target
            RETURNING id""";

    /** The tenant's live execution, locked: concurrent sends count its pending signals one after the other. */
    private static final String LOCK = """
            SELECT id FROM executions
            WHERE id = $1 AND tenant_id = $2 AND status IN ('pending', 'running', 'waiting')
            FOR UPDATE""";

    private static final String PENDING = """
            SELECT count(*) FROM execution_signals WHERE execution_id = $1 AND consumed_by IS NULL""";

    /** What became of a signal sent. */
    public enum SendOutcome {
        STORED,
        /** Not the tenant's execution, or it has ended. */
        NOT_LIVE,
        /** The execution already holds as many unconsumed signals as it may. */
        FULL
    }

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

    /** Stores the signal unless the execution is not live or already holds {@code maxPending} unconsumed ones. */
    public Uni<SendOutcome> send(UUID tenant, UUID execution, String name, JsonNode payload, long maxPending) {
        return pool.withTransaction(tx -> tx.preparedQuery(LOCK).execute(Tuple.of(execution, tenant))
                .chain(live -> {
                    if (live.size() == 0) {
                        return Uni.createFrom().item(SendOutcome.NOT_LIVE);
                    }
                    return tx.preparedQuery(PENDING).execute(Tuple.of(execution)).chain(count -> {
                        if (count.iterator().next().getLong(0) >= maxPending) {
                            return Uni.createFrom().item(SendOutcome.FULL);
                        }
                        return tx.preparedQuery(SEND).execute(Tuple.of(execution, name, JsonColumns.write(payload)))
                                .map(rows -> rows.size() == 1 ? SendOutcome.STORED : SendOutcome.NOT_LIVE);
                    });
                }));
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
