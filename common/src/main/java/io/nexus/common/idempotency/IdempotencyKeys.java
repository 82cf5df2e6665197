package io.nexus.common.idempotency;

import java.time.Duration;
import java.util.Map;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The {@code idempotency_keys} table of a service: one row per (tenant, method, route, key). Every statement runs on
 * its own, outside the transaction of the request it guards, so that a claim is visible to a concurrent retry at once
 * and survives a rollback of the creation.
 */
public final class IdempotencyKeys {

    private final Pool pool;

    public IdempotencyKeys(Pool pool) {
        this.pool = pool;
    }

    /**
     * Claims {@code key} for a first request; false when it is taken. A key past its retention, or claimed longer
     * ago than {@code inFlight} without an answer (its replica stopped), is taken over.
     */
    public Uni<Boolean> claim(IdempotencyScope scope, String key, String requestHash, Duration retention,
            Duration inFlight) {
        return pool.preparedQuery("""
                INSERT INTO idempotency_keys AS k (tenant_id, method, route, key, request_hash)
                VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (tenant_id, method, route, key) DO UPDATE
                    SET request_hash = excluded.request_hash, response_status = NULL, response_body = NULL,
                        response_headers = NULL, created_at = now()
                    WHERE k.created_at < now() - ($6::bigint * interval '1 millisecond')
                       OR (k.response_status IS NULL AND k.created_at < now() - ($7::bigint * interval '1 millisecond'))
                RETURNING 1""")
                .execute(Tuple.from(new Object[] { scope.tenant(), scope.method(), scope.route(), key, requestHash,
                        retention.toMillis(), inFlight.toMillis() }))
                .map(rows -> rows.size() == 1);
    }

    public Uni<RememberedAnswer> find(IdempotencyScope scope, String key) {
        return pool.preparedQuery("SELECT request_hash, response_status, response_body::text, response_headers::text, "
                + "created_at FROM idempotency_keys WHERE tenant_id = $1 AND method = $2 AND route = $3 AND key = $4")
                .execute(Tuple.of(scope.tenant(), scope.method(), scope.route(), key))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    String headers = row.getString(3);
                    return new RememberedAnswer(row.getString(0), row.getInteger(1), row.getString(2),
                            headers == null ? Map.of() : headers(headers),
                            row.getOffsetDateTime(4).toInstant());
                });
    }

    /** Stores the first request's answer, for the retries to replay. */
    public Uni<Void> remember(IdempotencyScope scope, String key, String requestHash, int status, String body,
            Map<String, String> headers) {
        return pool.preparedQuery("UPDATE idempotency_keys SET response_status = $6, response_body = $7::text, "
                + "response_headers = $8::text::jsonb WHERE tenant_id = $1 AND method = $2 AND route = $3 "
                + "AND key = $4 AND request_hash = $5 AND response_status IS NULL")
                .execute(Tuple.from(new Object[] { scope.tenant(), scope.method(), scope.route(), key, requestHash,
                        status, body, new JsonObject(Map.copyOf(headers)).encode() }))
                .replaceWithVoid();
    }

    /** Gives the key back after an answer that is not remembered (5xx, a failure): the client may retry it. */
    public Uni<Void> release(IdempotencyScope scope, String key, String requestHash) {
        return pool.preparedQuery("DELETE FROM idempotency_keys WHERE tenant_id = $1 AND method = $2 AND route = $3 "
                + "AND key = $4 AND request_hash = $5 AND response_status IS NULL")
                .execute(Tuple.of(scope.tenant(), scope.method(), scope.route(), key, requestHash))
                .replaceWithVoid();
    }

    public Uni<Integer> forgetOlderThan(Duration retention) {
        return pool.preparedQuery("DELETE FROM idempotency_keys WHERE created_at < now() - ($1::bigint * interval "
                + "'1 millisecond')")
                .execute(Tuple.of(retention.toMillis()))
                .map(RowSet::rowCount);
    }

    private static Map<String, String> headers(String json) {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        new JsonObject(json).forEach(entry -> headers.put(entry.getKey(), String.valueOf(entry.getValue())));
        return headers;
    }
}
