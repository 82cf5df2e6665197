package io.nexus.common.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.nexus.common.testing.TestKafkaBroker;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The pool's connections keep their prepared statements, long ones included: a statement run twice on a connection
 * is prepared on the server once, as a named statement of that session ({@code pg_prepared_statements}).
 */
@QuarkusTest
@QuarkusTestResource(TestKafkaBroker.class)
class PreparedStatementCacheTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @Inject
    Pool pool;

    @Test
    void aStatementLongerThanTheClientsDefaultLimitIsPreparedOncePerConnection() {
        // Longer than the Vert.x client's default limit of 2,048 characters, as the engine's end statement is.
        String statement = "SELECT $1::int + 1 AS next /* " + "x".repeat(3000) + " */";
        SqlConnection connection = pool.getConnection().await().atMost(WAIT);
        try {
            for (int i = 0; i < 3; i++) {
                int next = connection.preparedQuery(statement).execute(Tuple.of(i)).await().atMost(WAIT)
                        .iterator().next().getInteger("next");
                assertEquals(i + 1, next);
            }
            long prepared = connection.preparedQuery("SELECT count(*) FROM pg_prepared_statements "
                    + "WHERE statement = $1 AND NOT from_sql").execute(Tuple.of(statement)).await().atMost(WAIT)
                    .iterator().next().getLong(0);
            assertEquals(1L, prepared, "the statement is a named, cached statement of this connection");
            long named = connection.preparedQuery("SELECT count(*) FROM pg_prepared_statements WHERE NOT from_sql")
                    .execute().await().atMost(WAIT).iterator().next().getLong(0);
            assertTrue(named >= 2, "the first count query was kept too: " + named);
        } finally {
            connection.closeAndAwait();
        }
    }
}
