package io.nexus.common.deployment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the services read from their environment, from the repository itself: the ${VAR} references of their
 * properties files and the configuration tables of their READMEs (DeploymentConfigurationTest keeps the two in step,
 * so a variable in a table is one the service reads). Shared by the tests that check deployments against it
 * (docker-compose.yml, the k8s/ manifests).
 */
final class ServiceConfiguration {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** The five services and their local ports. */
    static final Map<String, Integer> PORTS = Map.of("api-gateway", 8000, "tenant-service", 8081,
            "workflow-service", 8082, "session-service", 8083, "marketplace-service", 8084);

    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::([^}]*))?}");
    private static final Pattern TABLE_ROW = Pattern.compile("^\\|[^|]*\\|\\s*`([A-Z][A-Z0-9_]*)`\\s*\\|\\s*([^|]*)\\|");

    private ServiceConfiguration() {
    }

    /** The ${VAR} references of a service's own and the shared configuration (comments aside). */
    static Set<String> referencedVariables(String service) throws IOException {
        Set<String> referenced = new TreeSet<>();
        String all = properties(service) + "\n" + sharedProperties();
        for (String line : all.split("\n")) {
            if (line.startsWith("#")) {
                continue;
            }
            Matcher reference = ENV_REFERENCE.matcher(line);
            while (reference.find()) {
                referenced.add(reference.group(1));
            }
        }
        return referenced;
    }

    /** The environment variable Quarkus maps to a property: dots and dashes become underscores, upper case. */
    static String environmentName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase();
    }

    static String properties(String service) throws IOException {
        return Files.readString(ROOT.resolve(service).resolve("src/main/resources/application.properties"));
    }

    /** The defaults every service shares (the common module's microprofile-config.properties). */
    static String sharedProperties() throws IOException {
        return Files.readString(ROOT.resolve("common/src/main/resources/META-INF/microprofile-config.properties"));
    }

    /**
     * The configuration tables of the READMEs: service → (variable → the first property its row names). Each service's
     * own README ({@code <service>/README.md}, section "Configuration") documents what it alone reads;
     * common/README.md documents what every service reads ("Every service") and what every service with a database
     * reads ("Every service with a database").
     */
    static Map<String, Map<String, String>> documentedVariables() throws IOException {
        Map<String, Map<String, String>> documented = new HashMap<>();
        for (String service : PORTS.keySet()) {
            for (Map.Entry<String, Map<String, String>> section : configurationTables(ROOT.resolve(service)
                    .resolve("README.md")).entrySet()) {
                documented.computeIfAbsent(service, s -> new LinkedHashMap<>()).putAll(section.getValue());
            }
        }
        Map<String, Map<String, String>> shared = configurationTables(ROOT.resolve("common/README.md"));
        for (String service : PORTS.keySet()) {
            Map<String, String> rows = documented.computeIfAbsent(service, s -> new LinkedHashMap<>());
            rows.putAll(shared.getOrDefault("Every service", Map.of()));
            if (!service.equals("api-gateway")) {
                rows.putAll(shared.getOrDefault("Every service with a database", Map.of()));
            }
        }
        return documented;
    }

    /** The rows of the tables under a README's "## Configuration", by the "###" sub-heading they follow ("" first). */
    private static Map<String, Map<String, String>> configurationTables(Path readme) throws IOException {
        Map<String, Map<String, String>> tables = new LinkedHashMap<>();
        String subsection = "";
        boolean inConfiguration = false;
        for (String line : Files.readAllLines(readme)) {
            if (line.startsWith("## ")) {
                inConfiguration = line.equals("## Configuration");
                subsection = "";
                continue;
            }
            if (!inConfiguration) {
                continue;
            }
            if (line.startsWith("### ")) {
                subsection = line.substring(4).trim();
                continue;
            }
            Matcher row = TABLE_ROW.matcher(line);
            if (row.find()) {
                Matcher property = Pattern.compile("`([^`]+)`").matcher(row.group(2));
                String firstProperty = property.find() ? property.group(1) : "";
                tables.computeIfAbsent(subsection, s -> new LinkedHashMap<>()).put(row.group(1), firstProperty);
            }
        }
        return tables;
    }
}
