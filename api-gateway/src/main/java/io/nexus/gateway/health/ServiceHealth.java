package io.nexus.gateway.health;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One service as {@code GET /health} reports it: {@code up} or {@code down}, each dependency {@code up}, {@code down}
 * or (Kafka only) {@code degraded}, and for an unreachable service the reason, never its address.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServiceHealth(String name, String status, Map<String, String> dependencies, String reason) {

    public static final String UP = "up";
    public static final String DOWN = "down";
    public static final String DEGRADED = "degraded";

    public static ServiceHealth down(String name, String reason) {
        return new ServiceHealth(name, DOWN, Map.of(), reason);
    }

    @JsonIgnore
    public boolean isUp() {
        return UP.equals(status);
    }

    @JsonIgnore
    public boolean isDegraded() {
        return dependencies.containsValue(DEGRADED);
    }
}
