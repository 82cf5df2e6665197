package io.nexus.common.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import io.nexus.common.outbox.OutboxRelay;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;

/**
 * The foundation contract of a service that owns a PostgreSQL database: its versioned migrations ran at start-up and
 * the database gauges describe a connected, sized pool.
 */
public abstract class DatabaseServiceContractTest extends ServiceContractTest {

    @Inject
    Pool pool;

    @Inject
    OutboxRelay relay;

    @ConfigProperty(name = "quarkus.datasource.reactive.max-size")
    int poolMaxSize;

    @Inject
    Flyway flyway;

    @Override
    protected Set<String> requiredReadinessChecks() {
        Set<String> checks = new HashSet<>(super.requiredReadinessChecks());
        checks.add("Reactive PostgreSQL connections health check");
        return checks;
    }

    /** Versions that must be among the migrations, so that a migration Flyway failed to find cannot pass unseen. */
    protected List<String> requiredMigrationVersions() {
        return List.of("1");
    }

    @Override
    protected List<String> serviceMetrics() {
        List<String> metrics = new ArrayList<>(List.of("nexus_database_up", "nexus_database_connections_active",
                "nexus_database_connections_max"));
        metrics.addAll(databaseServiceMetrics());
        return metrics;
    }

    protected List<String> databaseServiceMetrics() {
        return List.of();
    }

    @Test
    void flywayHistoryHoldsEveryMigrationTheServiceShips() {
        List<String> applied = new ArrayList<>();
        for (Row row : pool.query("SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL "
                + "ORDER BY installed_rank").execute().await().atMost(Duration.ofSeconds(10))) {
            assertTrue(row.getBoolean("success"), "migration " + row.getString("version") + " failed");
            applied.add(row.getString("version"));
        }
        List<String> shipped = Arrays.stream(flyway.info().all())
                .map(migration -> migration.getVersion().getVersion()).toList();
        assertTrue(shipped.containsAll(requiredMigrationVersions()), "migrations found: " + shipped);
        assertEquals(shipped, applied, "every migration found is in flyway_schema_history, in order");
        assertEquals(0, flyway.info().pending().length);
    }

    @Test
    void theOutboxRelayHoldsTheLockOfThisServicesDatabase() {
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(relay::isActive);
        long lockHolders = pool.query("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                + "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")
                .execute().await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
        assertEquals(1, lockHolders, "exactly one relay lock on this service's database");
    }

    @Test
    void databaseGaugesDescribeAConnectedPool() {
        Map<String, String> service = Map.of("service", serviceName());
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            PrometheusScrape scrape = scrape();
            assertEquals(1.0, scrape.sum("nexus_database_up", service).orElseThrow());
            assertTrue(scrape.sum("nexus_database_connections_active", service).orElseThrow() >= 1);
            assertEquals(poolMaxSize, scrape.sum("nexus_database_connections_max", service).orElseThrow());
        });
    }
}
