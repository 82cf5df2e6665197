package io.nexus.workflow.repository;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** Remembered {@code Idempotency-Key}s of starts (CONTRACT §2). */
@ApplicationScoped
public class IdempotencyRepository {

    private final Pool pool;

    public IdempotencyRepository(Pool pool) {
        this.pool = pool;
    }

    /** Claims the key for a first request; false when the key is already taken (and not expired). */
    public Uni<Boolean> claim(SqlConnection tx, KeyScope scope, String requestHash, UUID executionId,
            Duration retention) {
        return tx.preparedQuery("""
                INSERT INTO idempotency_keys AS k (tenant_id, method, route, key, request_hash, execution_id)
                VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (tenant_id, method, route, key) DO UPDATE
                    SET request_hash = excluded.request_hash, execution_id = excluded.execution_id,
                        response_status = NULL, response_body = NULL, created_at = now()
                    WHERE k.created_at < now() - ($7::bigint * interval '1 second')
                RETURNING 1""")
                .execute(Tuple.from(new Object[] { scope.tenant(), scope.method(), scope.route(), scope.key(),
                        requestHash, executionId, retention.toSeconds() }))
                .map(rows -> rows.size() == 1);
    }

    public Uni<Remembered> find(KeyScope scope) {
        return pool.preparedQuery("SELECT request_hash, execution_id, response_status, response_body::text, created_at "
                + "FROM idempotency_keys WHERE tenant_id = $1 AND method = $2 AND route = $3 AND key = $4")
                .execute(Tuple.of(scope.tenant(), scope.method(), scope.route(), scope.key()))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new Remembered(row.getString(0), row.getUUID(1), row.getInteger(2),
                            JsonColumns.read(row.getString(3)), WorkflowRepository.instant(row, 4));
                });
    }

    public Uni<Void> remember(KeyScope scope, int status, JsonNode body) {
        return pool.preparedQuery("UPDATE idempotency_keys SET response_status = $5, response_body = $6::text::jsonb "
                + "WHERE tenant_id = $1 AND method = $2 AND route = $3 AND key = $4")
                .execute(Tuple.from(new Object[] { scope.tenant(), scope.method(), scope.route(), scope.key(), status,
                        JsonColumns.write(body) }))
                .replaceWithVoid();
    }

    public Uni<Integer> forgetOlderThan(Duration retention) {
        return pool.preparedQuery("DELETE FROM idempotency_keys WHERE created_at < now() - ($1::bigint * interval "
                + "'1 second')")
                .execute(Tuple.of(retention.toSeconds()))
                .map(RowSet::rowCount);
    }

    /** A key is scoped to (tenant, method, route). */
    public record KeyScope(UUID tenant, String method, String route, String key) {
    }

    /** What the first request with a key left: its response, once it answered. */
    public record Remembered(String requestHash, UUID executionId, Integer responseStatus, JsonNode responseBody,
            Instant createdAt) {
    }
}
