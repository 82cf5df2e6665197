package io.nexus.common.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.nexus.common.testing.TestKafkaBroker;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The service's own table upkeep on real PostgreSQL (whose autovacuum is off on the CI machines): a table whose rows
 * churn past the threshold is vacuumed and analysed by the periodic round, a quiet one is left alone, and only the
 * replica holding the lock vacuums. The test profile checks every second, from 300 changed rows.
 */
@QuarkusTest
@QuarkusTestResource(TestKafkaBroker.class)
class TableVacuumTest {

    private static final Duration STATISTICS = Duration.ofSeconds(40);

    @Inject
    Pool pool;
    @Inject
    TableVacuum vacuum;

    @Test
    void aChurnedTableIsVacuumedAndAnalysedWhileAQuietOneIsLeftAlone() {
        churn("vacuum_churned", 200, 3);
        sql("DROP TABLE IF EXISTS vacuum_quiet");
        sql("CREATE TABLE vacuum_quiet (id int PRIMARY KEY)");
        sql("INSERT INTO vacuum_quiet SELECT generate_series(1, 20)");

        Awaitility.await().atMost(STATISTICS).untilAsserted(() -> {
            Row churned = statistics("vacuum_churned");
            assertTrue(churned.getValue("last_vacuum") != null, "vacuum_churned was never vacuumed");
            assertTrue(churned.getValue("last_analyze") != null, "vacuum_churned was never analysed");
            assertEquals(0L, churned.getLong("n_dead_tup"));
        });
        assertNull(statistics("vacuum_quiet").getValue("last_vacuum"), "a table with 20 new rows is not due");
    }

    @Test
    void onlyTheReplicaHoldingTheLockVacuums() {
        SqlConnection otherReplica = pool.getConnection().await().atMost(Duration.ofSeconds(5));
        try {
            otherReplica.query("SELECT pg_advisory_lock(" + TableVacuum.LOCK_KEY + ")").execute()
                    .await().atMost(Duration.ofSeconds(5));
            churn("vacuum_contended", 200, 3);
            // Due once the statistics show the changes (backends report them within seconds).
            Awaitility.await().atMost(STATISTICS)
                    .until(() -> statistics("vacuum_contended").getLong("n_mod_since_analyze") >= 600);

            List<String> vacuumed = vacuum.vacuumDueTables().await().atMost(Duration.ofSeconds(30));

            assertEquals(List.of(), vacuumed);
            assertNull(statistics("vacuum_contended").getValue("last_vacuum"));
        } finally {
            otherReplica.query("SELECT pg_advisory_unlock(" + TableVacuum.LOCK_KEY + ")").execute()
                    .await().atMost(Duration.ofSeconds(5));
            otherReplica.close().await().atMost(Duration.ofSeconds(5));
        }
        // Released: the next round (this replica's) takes the table on.
        Awaitility.await().atMost(STATISTICS)
                .until(() -> statistics("vacuum_contended").getValue("last_vacuum") != null);
    }

    /** A table of {@code rows} rows, each updated {@code updates} times: rows × updates dead tuples. */
    private void churn(String table, int rows, int updates) {
        sql("DROP TABLE IF EXISTS " + table);
        sql("CREATE TABLE " + table + " (id int PRIMARY KEY, n int NOT NULL)");
        sql("INSERT INTO " + table + " SELECT i, 0 FROM generate_series(1, " + rows + ") i");
        for (int i = 0; i < updates; i++) {
            sql("UPDATE " + table + " SET n = n + 1");
        }
    }

    private Row statistics(String table) {
        return pool.preparedQuery("SELECT n_dead_tup, n_mod_since_analyze, last_vacuum, last_analyze FROM pg_stat_user_tables"
                + " WHERE relname = $1").execute(Tuple.of(table))
                .await().atMost(Duration.ofSeconds(5)).iterator().next();
    }

    private void sql(String statement) {
        pool.query(statement).execute().await().atMost(Duration.ofSeconds(10));
    }
}
