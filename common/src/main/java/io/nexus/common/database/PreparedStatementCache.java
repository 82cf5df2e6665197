package io.nexus.common.database;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgPool;
import io.vertx.sqlclient.Pool;

/**
 * Creates the service's reactive pool with each connection keeping its prepared statements, long ones included, so
 * that PostgreSQL parses and plans a statement once per connection.
 *
 * <p>Why: Quarkus caches prepared statements for PostgreSQL
 * ({@code quarkus.datasource.reactive.cache-prepared-statements}, set explicitly in every service), but the Vert.x
 * client then keeps only statements of up to 2,048 characters. A longer one is silently prepared again on every
 * call: an extra round trip, and an extra transaction on the server. The engine's end statement has 1,778
 * characters today and its claim query about 2,000, so one more column would tip them over. With the cache off, a
 * sync execution cost PostgreSQL about twice the CPU (6.3 against 3.0 ms, medians of three alternating runs of 25 s
 * at concurrency 16) and 4.3 commits instead of 2.2. This raises the limit to
 * {@code nexus.database.statement-cache.sql-limit}; statements built per request (search pages) share the
 * per-connection LRU of {@code nexus.database.statement-cache.max-size}.
 */
@Singleton
@IfBuildProperty(name = "nexus.database.enabled", stringValue = "true")
public class PreparedStatementCache implements PgPoolCreator {

    private final int sqlLimit;
    private final int maxSize;

    public PreparedStatementCache(
            @ConfigProperty(name = "nexus.database.statement-cache.sql-limit", defaultValue = "16384") int sqlLimit,
            @ConfigProperty(name = "nexus.database.statement-cache.max-size", defaultValue = "256") int maxSize) {
        this.sqlLimit = sqlLimit;
        this.maxSize = maxSize;
    }

    @Override
    public Pool create(Input input) {
        for (PgConnectOptions options : input.pgConnectOptionsList()) {
            if (options.getCachePreparedStatements()) {
                options.setPreparedStatementCacheSqlLimit(sqlLimit).setPreparedStatementCacheMaxSize(maxSize);
            }
        }
        // PgPool, not the generic Pool builder: Quarkus hands the result on as a PgPool.
        return PgPool.pool(input.vertx(), input.pgConnectOptionsList(), input.poolOptions());
    }
}
