package io.nexus.workflow.repository;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** Remembered {@code Idempotency-Key}s of starts (docs/api.md §2). */
@ApplicationScoped
public class IdempotencyRepository {

    private final Pool pool;
    private final ObjectMapper mapper;

    public IdempotencyRepository(Pool pool, ObjectMapper mapper) {
        this.pool = pool;
        this.mapper = mapper;
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

    /**
     * Stores the first request's answer for replays. {@code body} is written as the API wrote it: with the
     * application's ObjectMapper, so that a replay shows the same JSON. A body that cannot be written fails the
     * returned Uni, like a failed update.
     */
    public Uni<Void> remember(KeyScope scope, int status, Object body) {
        return Uni.createFrom().item(() -> json(body)).chain(json -> pool.preparedQuery("UPDATE idempotency_keys "
                + "SET response_status = $5, response_body = $6::text::jsonb "
                + "WHERE tenant_id = $1 AND method = $2 AND route = $3 AND key = $4")
                .execute(Tuple.from(new Object[] { scope.tenant(), scope.method(), scope.route(), scope.key(), status,
                        json })))
                .replaceWithVoid();
    }

    private String json(Object body) {
        if (body == null) {
            return null;
        }
        try {
            return mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("a start's answer could not be written as JSON", e);
        }
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
