package io.nexus.gateway.health;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads a service's {@code /q/health/ready} document (SmallRye Health format) into a {@link ServiceHealth}, naming
 * dependencies the way operators know them rather than by health-check class names.
 */
final class ReadinessReports {

    private ReadinessReports() {
    }

    static ServiceHealth parse(String service, JsonNode readiness) {
        String status = readiness.path("status").asText("");
        if (status.isEmpty()) {
            return ServiceHealth.down(service, "unexpected readiness response");
        }
        Map<String, String> dependencies = new TreeMap<>();
        for (JsonNode check : readiness.path("checks")) {
            String name = check.path("name").asText();
            String checkStatus = check.path("status").asText().toLowerCase(Locale.ROOT);
            if ("kafka".equals(name)) {
                dependencies.put("kafka", check.path("data").path("kafka").asText(ServiceHealth.DEGRADED));
            } else {
                dependencies.merge(dependencyName(name), checkStatus, ReadinessReports::worse);
            }
        }
        String serviceStatus = "UP".equals(status) ? ServiceHealth.UP : ServiceHealth.DOWN;
        return new ServiceHealth(service, serviceStatus, dependencies, null);
    }

    /** The reactive and the JDBC (Flyway) pool both check PostgreSQL: one dependency for operators. */
    static String dependencyName(String checkName) {
        String lower = checkName.toLowerCase(Locale.ROOT);
        if (lower.contains("postgresql") || lower.contains("database")) {
            return "postgresql";
        }
        if (lower.contains("redis")) {
            return "redis";
        }
        return checkName;
    }

    private static String worse(String a, String b) {
        return ServiceHealth.UP.equals(a) ? b : a;
    }
}
