package io.nexus.common.metrics;

import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.nexus.common.config.ChecksConfig;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * {@code nexus_database_up} (a ping every {@code nexus.checks.interval}) and the pool gauges
 * {@code nexus_database_connections_active|max}. "Active" counts the connections the pool holds open, so an idle but
 * healthy service reads at least 1 (the ping keeps one) and a lost database reads 0, which is what the runbook's
 * DatabaseDown alert assumes. Present only in services that own a database ({@code nexus.database.enabled=true}).
 */
@ApplicationScoped
@IfBuildProperty(name = "nexus.database.enabled", stringValue = "true")
public class DatabaseMetrics {

    private static final Logger LOG = Logger.getLogger(DatabaseMetrics.class);

    private final Pool pool;
    private final Vertx vertx;
    private final MeterRegistry registry;
    private final ContractMetrics contractMetrics;
    private final ChecksConfig checks;
    private final int maxConnections;
    private final AtomicInteger up = new AtomicInteger();
    private long timerId = -1;

    public DatabaseMetrics(Pool pool, Vertx vertx, MeterRegistry registry, ContractMetrics contractMetrics,
            ChecksConfig checks,
            @ConfigProperty(name = "quarkus.datasource.reactive.max-size", defaultValue = "20") int maxConnections) {
        this.pool = pool;
        this.vertx = vertx;
        this.registry = registry;
        this.contractMetrics = contractMetrics;
        this.checks = checks;
        this.maxConnections = maxConnections;
    }

    void start(@Observes StartupEvent event) {
        Gauge.builder(MetricNames.DATABASE_UP, up, AtomicInteger::get)
                .description("1 when the last database ping succeeded, else 0")
                .register(registry);
        Gauge.builder(MetricNames.DATABASE_CONNECTIONS_ACTIVE, pool, Pool::size)
                .description("Connections the reactive pool holds open")
                .register(registry);
        Gauge.builder(MetricNames.DATABASE_CONNECTIONS_MAX, () -> maxConnections)
                .description("Configured maximum size of the reactive pool")
                .register(registry);
        ping();
        timerId = vertx.setPeriodic(checks.interval().toMillis(), id -> ping());
    }

    void stop(@Observes ShutdownEvent event) {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
    }

    private void ping() {
        pool.query("SELECT 1").execute()
                .ifNoItem().after(checks.timeout()).fail()
                .subscribe().with(rows -> markUp(), this::markDown);
    }

    private void markUp() {
        if (up.getAndSet(1) == 0) {
            LOG.info("Database reachable");
        }
    }

    private void markDown(Throwable failure) {
        contractMetrics.countError(ErrorType.DEPENDENCY);
        if (up.getAndSet(0) == 1) {
            LOG.warnf("Database unreachable: %s", failure.getMessage());
        }
    }
}
