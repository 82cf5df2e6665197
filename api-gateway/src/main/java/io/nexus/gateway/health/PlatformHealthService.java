package io.nexus.gateway.health;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.nexus.gateway.config.GatewayConfig;
import io.smallrye.health.SmallRyeHealth;
import io.smallrye.health.SmallRyeHealthReporter;
import io.smallrye.mutiny.Uni;

/** Gathers the gateway's own readiness and every service's, concurrently, into one {@link PlatformHealth}. */
@ApplicationScoped
public class PlatformHealthService {

    private final SmallRyeHealthReporter ownHealth;
    private final ServiceReadinessClient readinessClient;
    private final GatewayConfig config;
    private final ObjectMapper mapper;
    private final String gatewayName;

    public PlatformHealthService(SmallRyeHealthReporter ownHealth, ServiceReadinessClient readinessClient,
            GatewayConfig config, ObjectMapper mapper,
            @ConfigProperty(name = "quarkus.application.name") String gatewayName) {
        this.ownHealth = ownHealth;
        this.readinessClient = readinessClient;
        this.config = config;
        this.mapper = mapper;
        this.gatewayName = gatewayName;
    }

    public Uni<PlatformHealth> check() {
        List<Uni<ServiceHealth>> checks = new ArrayList<>();
        checks.add(ownHealth.getReadinessAsync().map(this::ownReadiness));
        for (Map.Entry<String, GatewayConfig.Upstream> service : config.services().entrySet()) {
            checks.add(readinessClient.readiness(service.getKey(), service.getValue().url()));
        }
        return Uni.join().all(checks).andFailFast().map(results -> {
            List<ServiceHealth> sorted = new ArrayList<>(results);
            sorted.sort(Comparator.comparing(ServiceHealth::name));
            return PlatformHealth.of(sorted);
        });
    }

    private ServiceHealth ownReadiness(SmallRyeHealth health) {
        try {
            return ReadinessReports.parse(gatewayName, mapper.readTree(health.getPayload().toString()));
        } catch (JsonProcessingException e) {
            return ServiceHealth.down(gatewayName, "unreadable readiness response");
        }
    }
}
