package io.nexus.common.health;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.nexus.common.config.ChecksConfig;
import io.nexus.common.metrics.ContractMetrics;
import io.nexus.common.metrics.ErrorType;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;

/**
 * Knows whether the Kafka cluster answers, probing it in the background. Kafka never fails readiness (docs/api.md §1: the
 * outbox absorbs outages), so this feeds the {@code kafka} entry of readiness data and the gateway's /health, and
 * counts each failed probe in {@code nexus_errors_total{type="dependency"}} so that an outage shows on dashboards.
 */
@ApplicationScoped
public class KafkaConnectivity {

    private static final Logger LOG = Logger.getLogger(KafkaConnectivity.class);

    public enum Status { UP, DEGRADED }

    private final Vertx vertx;
    private final ContractMetrics metrics;
    private final ChecksConfig checks;
    private final String bootstrapServers;
    private final AtomicReference<Status> status = new AtomicReference<>(Status.DEGRADED);
    private volatile Admin admin;
    private long timerId = -1;

    public KafkaConnectivity(Vertx vertx, ContractMetrics metrics, ChecksConfig checks,
            @ConfigProperty(name = "kafka.bootstrap.servers", defaultValue = "localhost:9092") String bootstrapServers) {
        this.vertx = vertx;
        this.metrics = metrics;
        this.checks = checks;
        this.bootstrapServers = bootstrapServers;
    }

    public Status status() {
        return status.get();
    }

    void start(@Observes StartupEvent event) {
        int timeoutMs = (int) checks.timeout().toMillis();
        admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "nexus-health-probe",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 5_000));
        probe();
        timerId = vertx.setPeriodic(checks.interval().toMillis(), id -> probe());
    }

    void stop(@Observes ShutdownEvent event) {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
        if (admin != null) {
            admin.close(checks.timeout());
        }
    }

    /** Runs on the Admin client's own I/O thread; the callback only flips an atomic, never blocks the event loop. */
    private void probe() {
        admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) checks.timeout().toMillis()))
                .clusterId()
                .whenComplete((clusterId, failure) -> update(failure == null ? Status.UP : Status.DEGRADED, failure));
    }

    private void update(Status next, Throwable failure) {
        if (next == Status.DEGRADED) {
            metrics.countError(ErrorType.DEPENDENCY);
        }
        Status previous = status.getAndSet(next);
        if (previous != next) {
            if (next == Status.UP) {
                LOG.info("Kafka reachable");
            } else {
                LOG.warnf("Kafka unreachable, running degraded: %s", failure == null ? "unknown" : failure.getMessage());
            }
        }
    }
}
