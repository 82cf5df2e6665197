package io.nexus.gateway.health;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * The body of {@code GET /health}: {@code up} when every service is ready, {@code degraded} when they are but Kafka is
 * not (events wait in the outboxes), {@code down} when any service is not ready.
 */
public record PlatformHealth(String status, List<ServiceHealth> services) {

    public static PlatformHealth of(List<ServiceHealth> services) {
        String status;
        if (services.stream().anyMatch(service -> !service.isUp())) {
            status = ServiceHealth.DOWN;
        } else if (services.stream().anyMatch(ServiceHealth::isDegraded)) {
            status = ServiceHealth.DEGRADED;
        } else {
            status = ServiceHealth.UP;
        }
        return new PlatformHealth(status, services);
    }

    @JsonIgnore
    public boolean isServing() {
        return !ServiceHealth.DOWN.equals(status);
    }
}
