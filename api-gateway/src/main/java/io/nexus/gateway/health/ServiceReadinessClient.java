package io.nexus.gateway.health;

import java.net.URI;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.nexus.common.metrics.ContractMetrics;
import io.nexus.common.metrics.ErrorType;
import io.nexus.gateway.config.GatewayConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;

/**
 * Asks one service for its readiness. A service that cannot be reached, times out or answers nonsense is reported
 * down with a reason, and the failure counts as a dependency error; it is never retried here, because /health must
 * show the state as it is.
 */
@ApplicationScoped
public class ServiceReadinessClient {

    private static final Logger LOG = Logger.getLogger(ServiceReadinessClient.class);
    private static final String READINESS_PATH = "/q/health/ready";

    private final WebClient client;
    private final ObjectMapper mapper;
    private final ContractMetrics metrics;
    private final long timeoutMs;

    public ServiceReadinessClient(Vertx vertx, ObjectMapper mapper, ContractMetrics metrics, GatewayConfig config) {
        this.timeoutMs = config.healthTimeout().toMillis();
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setConnectTimeout((int) timeoutMs)
                .setKeepAlive(true)
                .setMaxPoolSize(4));
        this.mapper = mapper;
        this.metrics = metrics;
    }

    public Uni<ServiceHealth> readiness(String service, URI baseUrl) {
        return client.getAbs(baseUrl.resolve(READINESS_PATH).toString())
                .timeout(timeoutMs)
                .send()
                .map(response -> {
                    // SmallRye answers 200 when ready and 503 with the same document when not.
                    if (response.statusCode() != 200 && response.statusCode() != 503) {
                        return failed(service, "unexpected status " + response.statusCode(), null);
                    }
                    try {
                        JsonNode document = mapper.readTree(response.bodyAsString());
                        return ReadinessReports.parse(service, document);
                    } catch (Exception e) {
                        return failed(service, "unreadable readiness response", e);
                    }
                })
                .onFailure().recoverWithItem(failure -> failed(service,
                        failure instanceof TimeoutException ? "timeout" : "unreachable", failure));
    }

    private ServiceHealth failed(String service, String reason, Throwable cause) {
        metrics.countError(ErrorType.DEPENDENCY);
        LOG.warnf("Readiness of %s: %s%s", service, reason, cause == null ? "" : " (" + cause.getMessage() + ")");
        return ServiceHealth.down(service, reason);
    }

    void close(@Observes ShutdownEvent event) {
        client.close();
    }
}
