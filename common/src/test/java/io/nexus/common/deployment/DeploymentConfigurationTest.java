package io.nexus.common.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Keeps the three descriptions of how Nexus is configured in step: docker-compose.yml, the configuration tables of
 * the READMEs (each service's own, and common/README.md for what they share), and the environment variables the
 * services actually read (their application.properties, the shared
 * defaults of the common module, and the variables Quarkus maps to properties by name).
 */
class DeploymentConfigurationTest {

    private static final Path ROOT = ServiceConfiguration.ROOT;
    private static final Map<String, Integer> PORTS = ServiceConfiguration.PORTS;

    @Test
    void composeRunsTheInfrastructureAndEveryServiceOnItsContractPort() throws IOException {
        Map<String, Map<String, Object>> services = composeServices();
        assertTrue(services.keySet().containsAll(Set.of("postgres", "redis", "kafka")), "infrastructure services");
        for (Map.Entry<String, Integer> service : PORTS.entrySet()) {
            Map<String, Object> definition = services.get(service.getKey());
            assertTrue(definition != null, service.getKey() + " is in docker-compose.yml");
            String port = Integer.toString(service.getValue());
            assertEquals(List.of(port + ":" + port), definition.get("ports"), service.getKey() + " ports");
            assertEquals(port, environment(definition).get("QUARKUS_HTTP_PORT"), service.getKey() + " HTTP port");
            String dockerfile = Files.readString(ROOT.resolve(service.getKey()).resolve("src/main/docker/Dockerfile.jvm"));
            assertTrue(dockerfile.contains("EXPOSE " + port), service.getKey() + " Dockerfile exposes " + port);
            assertTrue(dockerfile.contains("USER 185"), service.getKey() + " runs as a non-root user");
        }
    }

    @Test
    void everyVariableComposeSetsIsDocumentedForThatService() throws IOException {
        Map<String, Map<String, String>> documented = ServiceConfiguration.documentedVariables();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> service : composeServices().entrySet()) {
            if (!PORTS.containsKey(service.getKey())) {
                continue;
            }
            for (String variable : environment(service.getValue()).keySet()) {
                if (!documented.getOrDefault(service.getKey(), Map.of()).containsKey(variable)) {
                    problems.add(variable + " of " + service.getKey() + " is not in its README's configuration tables");
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void theReadmeDocumentsEveryVariableAServiceReadsAndNoOther() throws IOException {
        Map<String, Map<String, String>> documented = ServiceConfiguration.documentedVariables();
        List<String> problems = new ArrayList<>();
        for (String service : PORTS.keySet()) {
            Set<String> referenced = ServiceConfiguration.referencedVariables(service);
            Map<String, String> rows = documented.getOrDefault(service, Map.of());
            for (String variable : referenced) {
                if (!rows.containsKey(variable)) {
                    problems.add(service + " reads " + variable + " but the README does not document it");
                }
            }
            for (Map.Entry<String, String> row : rows.entrySet()) {
                // Either a ${VAR} the service's configuration references, or Quarkus's name for the property itself.
                if (!referenced.contains(row.getKey()) && !row.getKey().equals(ServiceConfiguration.environmentName(row.getValue()))) {
                    problems.add("the README documents " + row.getKey() + " for " + service + ", which does not read it");
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void composeNamesTheDatabaseEachServiceDefaultsTo() throws IOException {
        Map<String, Map<String, Object>> services = composeServices();
        for (String service : List.of("tenant-service", "workflow-service", "session-service", "marketplace-service")) {
            Matcher defaultName = Pattern.compile("\\$\\{DB_NAME:([a-z_]+)}").matcher(ServiceConfiguration.properties(service));
            assertTrue(defaultName.find(), service + " has a default database name");
            assertEquals(defaultName.group(1), environment(services.get(service)).get("DB_NAME"), service);
        }
        Map<String, String> gateway = environment(services.get("api-gateway"));
        for (String upstream : List.of("tenant-service", "workflow-service", "session-service", "marketplace-service")) {
            String variable = upstream.replace('-', '_').toUpperCase() + "_URL";
            assertEquals("http://" + upstream + ":" + PORTS.get(upstream), gateway.get(variable), variable);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> composeServices() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        return new LinkedHashMap<>((Map<String, Map<String, Object>>) compose.get("services"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> environment(Map<String, Object> service) {
        Map<String, String> environment = new LinkedHashMap<>();
        Object declared = service.get("environment");
        if (declared instanceof Map<?, ?> map) {
            ((Map<String, Object>) map).forEach((name, value) -> environment.put(name, String.valueOf(value)));
        }
        return environment;
    }
}
