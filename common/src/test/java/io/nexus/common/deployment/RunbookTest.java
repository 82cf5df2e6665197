package io.nexus.common.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Keeps docs/runbook.md true: every metric, script, setting, link and Kubernetes name its commands use must exist. An
 * operator follows the runbook under stress; a name that does not exist (the seed runbook's {@code nexus-app}, its
 * invented metrics) costs minutes when they matter most.
 *
 * <p>What the runbook "uses" is read from its code: fenced blocks and inline code spans. The Kubernetes part renders
 * the kustomize overlays with {@code kubectl kustomize}; it fails, saying so, when k8s/ is missing, and is skipped
 * where kubectl is not installed. The root is
 * {@code ..} (the module's parent) unless the environment variable NEXUS_ROOT names another checkout.
 */
class RunbookTest {

    static final Path ROOT = Path.of(System.getenv().getOrDefault("NEXUS_ROOT", "..")).toAbsolutePath().normalize();
    static final Path RUNBOOK = ROOT.resolve("docs/runbook.md");

    /** Standard Micrometer/JVM metrics the runbook may name besides docs/api.md §7 (the alerts use this one). */
    static final Set<String> STANDARD_METRICS = Set.of("jvm_memory_usage_after_gc");
    /** nexus_* names that are not metrics, each with the file that proves it exists. */
    static final Map<String, String> NOT_METRICS = Map.of(
            "nexus_restore_check_", "scripts/test-restore.sh"); // the scratch databases' prefix
    /** Variables read by the container image's launcher (run-java.sh), not by the services; set in the Deployments. */
    static final Set<String> IMAGE_VARIABLES = Set.of("JAVA_OPTS_APPEND");

    static final Pattern METRIC = Pattern.compile("\\b(nexus_[a-z0-9_]+|(?:jvm|process|system|http_server)_[a-z0-9_]+)");
    static final Pattern SCRIPT = Pattern.compile("(?<![\\w./-])(scripts/[\\w./-]*[\\w-])");
    static final Pattern VARIABLE = Pattern.compile("(?<![\\w.$-])([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\\b");
    static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    // --- the runbook's code ----------------------------------------------------------------------------------------

    /** Fenced blocks (continuation lines joined) and inline code spans, one string each. */
    static List<String> code() throws IOException {
        List<String> fragments = new ArrayList<>();
        StringBuilder block = null;
        for (String line : Files.readAllLines(RUNBOOK)) {
            if (line.startsWith("```")) {
                if (block == null) {
                    block = new StringBuilder();
                } else {
                    fragments.add(block.toString().replace("\\\n", " "));
                    block = null;
                }
            } else if (block != null) {
                block.append(line).append('\n');
            } else {
                Matcher span = Pattern.compile("`([^`]+)`").matcher(line);
                while (span.find()) {
                    fragments.add(span.group(1));
                }
            }
        }
        assertTrue(block == null, "a fenced code block is not closed");
        return fragments;
    }

    static Set<String> matches(Pattern pattern, List<String> fragments) {
        Set<String> found = new TreeSet<>();
        for (String fragment : fragments) {
            Matcher m = pattern.matcher(fragment);
            while (m.find()) {
                found.add(m.group(1));
            }
        }
        return found;
    }

    // --- metrics, scripts, settings, links ---------------------------------------------------------------------------

    @Test
    void everyMetricIsOneNexusExportsOrAnAllowedStandardOne() throws IOException {
        Set<String> exported = exportedMetrics();
        Set<String> used = matches(METRIC, code());
        assertTrue(used.size() >= 10, "the runbook's queries name metrics: " + used);
        List<String> problems = new ArrayList<>();
        for (String name : used) {
            String base = name.replaceAll("_(bucket|count|sum|max)$", "");
            if (exported.contains(name) || exported.contains(base) || STANDARD_METRICS.contains(name)) {
                continue;
            }
            String proof = NOT_METRICS.get(name);
            if (proof != null && Files.readString(ROOT.resolve(proof)).contains(name)) {
                continue;
            }
            problems.add(name + " is neither in docs/api.md §7 nor an allowed standard metric");
        }
        assertEquals(List.of(), problems);
    }

    /** The metric names of the table in docs/api.md §7. */
    static Set<String> exportedMetrics() throws IOException {
        String api = Files.readString(ROOT.resolve("docs/api.md"));
        String section = api.substring(api.indexOf("\n## 7. Metrics"), api.indexOf("\n## 8."));
        Set<String> metrics = new TreeSet<>();
        for (String line : section.split("\n")) {
            if (line.startsWith("| `nexus_")) {
                Matcher name = Pattern.compile("`(nexus_[a-z0-9_]+)`").matcher(line.substring(0, line.indexOf('|', 2)));
                while (name.find()) {
                    metrics.add(name.group(1));
                }
            }
        }
        assertTrue(metrics.size() >= 10, "docs/api.md §7 lists the metrics: " + metrics);
        return metrics;
    }

    @Test
    void everyScriptItNamesIsThereAndExecutable() throws IOException {
        Set<String> scripts = matches(SCRIPT, code());
        assertTrue(scripts.containsAll(Set.of("scripts/smoke-test.sh", "scripts/validate-staging.sh",
                "scripts/test-restore.sh", "scripts/load-test")), "the operations scripts are used: " + scripts);
        List<String> problems = new ArrayList<>();
        for (String script : scripts) {
            Path file = ROOT.resolve(script);
            if (!Files.isRegularFile(file) || !Files.isExecutable(file)) {
                problems.add(script + " is not an executable file");
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void everyVariableIsAConfigurationKeyOrOneTheScriptsRead() throws IOException {
        Set<String> documented = documentedVariables();
        String scripts = scriptsText();
        Set<String> used = matches(VARIABLE, code());
        assertTrue(used.size() >= 15, "the runbook names settings: " + used);
        List<String> problems = new ArrayList<>();
        for (String variable : used) {
            boolean readByScripts = Pattern.compile("\\$\\{?" + variable + "\\b").matcher(scripts).find();
            if (!documented.contains(variable) && !readByScripts && !IMAGE_VARIABLES.contains(variable)) {
                problems.add(variable + " is in no README configuration table and no script reads it");
            }
        }
        assertEquals(List.of(), problems);
    }

    /** The variables of every "## Configuration" table (the services' READMEs and common's). */
    static Set<String> documentedVariables() throws IOException {
        Set<String> variables = new TreeSet<>();
        Pattern row = Pattern.compile("^\\|[^|]*\\|\\s*`([A-Z][A-Z0-9_]*)`");
        for (String module : List.of("common", "api-gateway", "tenant-service", "workflow-service", "session-service",
                "marketplace-service")) {
            boolean inConfiguration = false;
            for (String line : Files.readAllLines(ROOT.resolve(module).resolve("README.md"))) {
                if (line.startsWith("## ")) {
                    inConfiguration = line.equals("## Configuration");
                }
                Matcher m = row.matcher(line);
                if (inConfiguration && m.find()) {
                    variables.add(m.group(1));
                }
            }
        }
        return variables;
    }

    static String scriptsText() throws IOException {
        StringBuilder text = new StringBuilder();
        try (Stream<Path> files = Files.walk(ROOT.resolve("scripts"))) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)
                    .filter(f -> !f.toString().contains("node_modules"))::iterator) {
                text.append(new String(Files.readAllBytes(file), StandardCharsets.UTF_8)).append('\n');
            }
        }
        return text.toString();
    }

    /** Quarkus serves /q/* through extensions: each path the runbook calls needs its extension in the build. */
    static final Map<String, String> QUARKUS_PATHS = Map.of("/q/health", "quarkus-smallrye-health",
            "/q/health/live", "quarkus-smallrye-health", "/q/health/ready", "quarkus-smallrye-health",
            "/q/health/started", "quarkus-smallrye-health", "/q/metrics", "quarkus-micrometer-registry-prometheus",
            "/q/openapi", "quarkus-smallrye-openapi");

    @Test
    void everyEndpointItCallsIsServed() throws IOException {
        String commonPom = Files.readString(ROOT.resolve("common/pom.xml"));
        String api = Files.readString(ROOT.resolve("docs/api.md"));
        List<String> code = code();
        Set<String> quarkusPaths = matches(Pattern.compile("(/q/[a-z/]*[a-z])"), code);
        Set<String> apiPaths = matches(Pattern.compile("(/api/v1/[\\w/{}-]*[\\w}])"), code);
        assertTrue(quarkusPaths.contains("/q/health/ready") && !apiPaths.isEmpty(), quarkusPaths + " " + apiPaths);
        List<String> problems = new ArrayList<>();
        for (String path : quarkusPaths) {
            String extension = QUARKUS_PATHS.get(path);
            if (extension == null || !commonPom.contains("<artifactId>" + extension + "</artifactId>")) {
                problems.add(path + " is not served by an extension every service has");
            }
        }
        for (String path : apiPaths) {
            if (!api.contains("`GET " + path) && !api.contains("`POST " + path) && !api.contains(" " + path + "`")) {
                problems.add(path + " is not an endpoint of docs/api.md");
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void everyLinkOutsideK8sLeadsToAFileAndHeadingThatExist() throws IOException {
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (String target : linkTargets()) {
            if (target.startsWith("http") || target.startsWith("../k8s/")) {
                continue; // k8s/ links: theRunbooksKubernetesNamesExistInTheRenderedManifests
            }
            checked++;
            checkLink(target, problems);
        }
        assertTrue(checked >= 20, "the runbook links its own sections and docs/api.md");
        assertEquals(List.of(), problems);
    }

    static List<String> linkTargets() throws IOException {
        List<String> targets = new ArrayList<>();
        Matcher m = LINK.matcher(Files.readString(RUNBOOK));
        while (m.find()) {
            targets.add(m.group(1));
        }
        return targets;
    }

    static void checkLink(String target, List<String> problems) throws IOException {
        String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
        Path path = file.isEmpty() ? RUNBOOK : RUNBOOK.getParent().resolve(file).normalize();
        if (!Files.exists(path)) {
            problems.add(target + ": no such file");
        } else if (target.contains("#") && !anchors(path).contains(target.substring(target.indexOf('#') + 1))) {
            problems.add(target + ": no such heading");
        }
    }

    /** GitHub's heading anchors of a Markdown file: lower case, punctuation dropped, spaces as dashes. */
    static Set<String> anchors(Path markdown) throws IOException {
        Set<String> anchors = new TreeSet<>();
        boolean fenced = false;
        for (String line : Files.readAllLines(markdown)) {
            fenced ^= line.startsWith("```");
            if (!fenced && line.startsWith("#")) {
                String heading = line.replaceFirst("^#+\\s*", "").trim().toLowerCase();
                anchors.add(heading.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }

    // --- Kubernetes ----------------------------------------------------------------------------------------------------

    @Test
    void theRunbooksKubernetesNamesExistInTheRenderedManifests() throws Exception {
        RunbookManifests manifests = RunbookManifests.render();
        List<String> problems = new ArrayList<>();
        List<String> commands = RunbookKubectlCommand.all(code());
        assertTrue(commands.size() >= 40, "the runbook's kubectl commands are found: " + commands.size());
        for (String command : commands) {
            RunbookKubectlCommand.check(command, manifests, problems);
        }
        for (String target : linkTargets()) {
            if (target.startsWith("../k8s/")) {
                checkLink(target, problems);
            }
        }
        // Names in the prose (`nexus-config`, `nexus-postgres-daily`): each is a value somewhere in the manifests.
        Set<String> values = manifests.allValues();
        for (String name : code()) {
            if (name.matches("nexus-[a-z0-9-]*[a-z0-9]") && !values.contains(name)
                    && Stream.of("Pod", "Service", "Secret").noneMatch(kind -> manifests.names(kind).contains(name))) {
                problems.add("`" + name + "` is named nowhere in the rendered manifests");
            }
        }
        for (String path : matches(Pattern.compile("(?<![\\w./-])(k8s/[\\w./-]*[\\w-])"), code())) {
            if (!Files.exists(ROOT.resolve(path))) {
                problems.add(path + ": no such file or directory");
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void everyAlertHasItsSectionAndEverySectionItsAlert() throws Exception {
        RunbookManifests manifests = RunbookManifests.render();
        Set<String> anchors = anchors(RUNBOOK);
        Set<String> alerts = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        for (JsonNode rule : manifests.ofKind("PrometheusRule")) {
            for (JsonNode group : rule.at("/spec/groups")) {
                for (JsonNode alert : group.path("rules")) {
                    if (!alert.has("alert")) {
                        continue;
                    }
                    String name = alert.get("alert").asText();
                    alerts.add(name);
                    String url = alert.at("/annotations/runbook_url").asText();
                    String anchor = name.toLowerCase();
                    if (!url.endsWith("docs/runbook.md#" + anchor)) {
                        problems.add(name + ": runbook_url " + url + " does not point to docs/runbook.md#" + anchor);
                    }
                    if (!anchors.contains(anchor)) {
                        problems.add(name + ": docs/runbook.md has no section '### " + name + "'");
                    }
                }
            }
        }
        assertTrue(alerts.size() >= 5, "the PrometheusRule holds the alerts: " + alerts);
        for (String line : Files.readAllLines(RUNBOOK)) {
            if (line.matches("### Nexus[A-Za-z]+") && !alerts.contains(line.substring(4))) {
                problems.add("section " + line + " names no alert of the PrometheusRule");
            }
        }
        assertEquals(List.of(), problems);
    }
}
