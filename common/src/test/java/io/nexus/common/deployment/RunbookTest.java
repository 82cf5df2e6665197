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
        Manifests manifests = Manifests.render();
        List<String> problems = new ArrayList<>();
        List<String> commands = KubectlCommand.all(code());
        assertTrue(commands.size() >= 40, "the runbook's kubectl commands are found: " + commands.size());
        for (String command : commands) {
            KubectlCommand.check(command, manifests, problems);
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
        Manifests manifests = Manifests.render();
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

    /** Every object of the rendered overlays, as JSON trees, plus the names operators derive from them. */
    record Manifests(List<JsonNode> objects) {
        static final List<String> OVERLAYS = List.of("k8s/base", "k8s/overlays/production", "k8s/overlays/blue-green");
        static Manifests cached;

        static synchronized Manifests render() throws Exception {
            if (cached != null) {
                return cached;
            }
            if (!Files.isDirectory(ROOT.resolve("k8s"))) {
                fail("k8s/ is missing under " + ROOT + ": the runbook's Kubernetes names are checked against the"
                        + " rendered manifests (kubectl kustomize k8s/overlays/...); run this test where k8s/ exists");
            }
            // Like KubernetesManifestsTest: without kubectl (not a Debian package) the rendering is skipped, not failed.
            Assumptions.assumeTrue(kubectlAvailable(), "kubectl is not installed: the Kubernetes names are not checked");
            ObjectMapper json = new ObjectMapper();
            List<JsonNode> objects = new ArrayList<>();
            for (String overlay : OVERLAYS) {
                for (Object document : new org.yaml.snakeyaml.Yaml().loadAll(kustomize(overlay))) {
                    if (document != null) {
                        objects.add(json.valueToTree(document));
                    }
                }
            }
            cached = new Manifests(objects);
            return cached;
        }

        static boolean kubectlAvailable() {
            try {
                Process process = new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
                process.getInputStream().readAllBytes();
                return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
            } catch (IOException | InterruptedException e) {
                return false;
            }
        }

        static String kustomize(String overlay) throws Exception {
            Process process = new ProcessBuilder("kubectl", "kustomize", ROOT.resolve(overlay).toString())
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "kubectl kustomize " + overlay + " did not finish");
            assertEquals(0, process.exitValue(), "kubectl kustomize " + overlay + " failed:\n" + output);
            return output;
        }

        List<JsonNode> ofKind(String kind) {
            return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
        }

        Set<String> namespaces() {
            Set<String> namespaces = new TreeSet<>();
            objects.forEach(o -> {
                if (o.at("/metadata/namespace").isTextual()) {
                    namespaces.add(o.at("/metadata/namespace").asText());
                }
            });
            return namespaces;
        }

        /** Names of a kind: rendered ones, and those the operators make from rendered objects. */
        Set<String> names(String kind) {
            Set<String> names = new TreeSet<>();
            ofKind(kind).forEach(o -> names.add(o.at("/metadata/name").asText()));
            switch (kind) {
                case "Pod" -> ofKind("Cluster").forEach(c -> { // CloudNativePG: <cluster>-1 .. -<instances>
                    for (int i = 1; i <= c.at("/spec/instances").asInt(); i++) {
                        names.add(c.at("/metadata/name").asText() + "-" + i);
                    }
                });
                case "Service" -> {
                    ofKind("Cluster").forEach(c -> Stream.of("-rw", "-ro", "-r")
                            .forEach(suffix -> names.add(c.at("/metadata/name").asText() + suffix)));
                    ofKind("Kafka").forEach(k -> names.add(k.at("/metadata/name").asText() + "-kafka-bootstrap"));
                }
                case "Secret" -> {
                    ofKind("Cluster").forEach(c -> names.add(c.at("/metadata/name").asText() + "-app"));
                    names.addAll(tlsSecrets());
                    names.addAll(referencedSecrets());
                }
                case "Certificate" -> names.addAll(tlsSecrets()); // cert-manager's ingress-shim names it so
                case "HorizontalPodAutoscaler" -> ofKind("ScaledObject").forEach(s -> names.add(
                        s.at("/spec/advanced/horizontalPodAutoscalerConfig/name").asText(
                                "keda-hpa-" + s.at("/metadata/name").asText())));
                default -> { }
            }
            return names;
        }

        /** Every text value of every object (names, references, labels, data). */
        Set<String> allValues() {
            Set<String> values = new TreeSet<>();
            List<JsonNode> pending = new ArrayList<>(objects);
            while (!pending.isEmpty()) {
                JsonNode node = pending.remove(pending.size() - 1);
                if (node.isTextual()) {
                    values.add(node.asText());
                } else {
                    node.forEach(pending::add);
                }
            }
            return values;
        }

        Set<String> tlsSecrets() {
            Set<String> secrets = new TreeSet<>();
            ofKind("Ingress").forEach(i -> i.at("/spec/tls").forEach(t -> secrets.add(t.path("secretName").asText())));
            return secrets;
        }

        /** Secrets the pods read (created by whoever installs Nexus, as k8s/README.md says): name → keys. */
        Set<String> referencedSecrets() {
            Set<String> secrets = new TreeSet<>();
            collect(objects, "secretKeyRef", ref -> secrets.add(ref.path("name").asText()));
            return secrets;
        }

        Set<String> referencedSecretKeys(String secret) {
            Set<String> keys = new TreeSet<>();
            collect(objects, "secretKeyRef", ref -> {
                if (secret.equals(ref.path("name").asText())) {
                    keys.add(ref.path("key").asText());
                }
            });
            return keys;
        }

        static void collect(Iterable<JsonNode> nodes, String field, java.util.function.Consumer<JsonNode> sink) {
            for (JsonNode node : nodes) {
                if (node.isContainerNode()) {
                    if (node.has(field)) {
                        sink.accept(node.get(field));
                    }
                    collect(node, field, sink);
                }
            }
        }

        /** Every label key=value on a rendered object or pod template, plus the operators' own pod labels. */
        Set<String> labels() {
            Set<String> labels = new TreeSet<>();
            collect(objects, "labels", map -> map.fields().forEachRemaining(
                    e -> labels.add(e.getKey() + "=" + e.getValue().asText())));
            ofKind("Cluster").forEach(c -> labels.add("cnpg.io/cluster=" + c.at("/metadata/name").asText()));
            ofKind("Kafka").forEach(k -> labels.add("strimzi.io/cluster=" + k.at("/metadata/name").asText()));
            return labels;
        }

        Set<String> containers(String deployment) {
            Set<String> containers = new TreeSet<>();
            ofKind("Deployment").stream().filter(d -> deployment.equals(d.at("/metadata/name").asText()))
                    .forEach(d -> d.at("/spec/template/spec/containers").forEach(c -> containers.add(c.path("name").asText())));
            return containers;
        }

        Set<String> configMapKeys(String name) {
            Set<String> keys = new TreeSet<>();
            ofKind("ConfigMap").stream().filter(c -> name.equals(c.at("/metadata/name").asText()))
                    .forEach(c -> c.path("data").fieldNames().forEachRemaining(keys::add));
            return keys;
        }
    }

    /** The kubectl commands of the runbook and what each of them names. */
    static final class KubectlCommand {
        /** kubectl's short and plural resource names → kinds. */
        static final Map<String, String> KINDS = Map.ofEntries(
                Map.entry("deployment", "Deployment"), Map.entry("deploy", "Deployment"),
                Map.entry("service", "Service"), Map.entry("svc", "Service"), Map.entry("pod", "Pod"),
                Map.entry("hpa", "HorizontalPodAutoscaler"), Map.entry("configmap", "ConfigMap"),
                Map.entry("cm", "ConfigMap"), Map.entry("secret", "Secret"), Map.entry("statefulset", "StatefulSet"),
                Map.entry("sts", "StatefulSet"), Map.entry("cronjob", "CronJob"), Map.entry("ingress", "Ingress"),
                Map.entry("networkpolicy", "NetworkPolicy"), Map.entry("pdb", "PodDisruptionBudget"),
                Map.entry("serviceaccount", "ServiceAccount"), Map.entry("scaledobject", "ScaledObject"),
                Map.entry("cluster", "Cluster"), Map.entry("scheduledbackup", "ScheduledBackup"),
                Map.entry("backup", "Backup"), Map.entry("kafka", "Kafka"), Map.entry("kafkatopic", "KafkaTopic"),
                Map.entry("certificate", "Certificate"), Map.entry("prometheusrule", "PrometheusRule"),
                Map.entry("servicemonitor", "ServiceMonitor"), Map.entry("event", "Event"));
        /** Flags that take the next word as their value. */
        static final Set<String> VALUE_FLAGS = Set.of("-n", "--namespace", "-l", "--selector", "-c", "--container",
                "-p", "--patch", "-o", "--output", "--type", "--context", "-k", "-f", "--for", "--timeout", "--tail",
                "--since", "--sort-by", "--replicas");
        /** Outside the namespace of the manifests: only prometheus-operator's Service, which KEDA queries. */
        static final Map<String, String> EXTERNAL = Map.of("monitoring", "Service/prometheus-operated");

        static List<String> all(List<String> fragments) {
            List<String> commands = new ArrayList<>();
            for (String fragment : fragments) {
                for (String expanded : expandLoops(fragment)) {
                    Matcher m = Pattern.compile("\\bkubectl\\s").matcher(expanded);
                    while (m.find()) {
                        commands.add(commandAt(expanded, m.start()));
                    }
                }
            }
            return commands;
        }

        /** The command from {@code start} to the first unquoted |, ;, &, newline, comment or unmatched ). */
        static String commandAt(String text, int start) {
            char quote = 0;
            int depth = 0;
            int i = start;
            for (; i < text.length(); i++) {
                char c = text.charAt(i);
                if (quote != 0) {
                    quote = c == quote ? 0 : quote;
                } else if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == '(') {
                    depth++;
                } else if (c == ')' && depth-- == 0) {
                    break;
                } else if ("|;&\n".indexOf(c) >= 0 && depth == 0) {
                    break;
                } else if (c == '#' && Character.isWhitespace(text.charAt(i - 1))) {
                    break; // a comment
                }
            }
            return text.substring(start, i).trim();
        }

        /** {@code for s in a b; do ... "$s" ...; done}: one copy per value, so loop bodies are checked too. */
        static List<String> expandLoops(String fragment) {
            Matcher loop = Pattern.compile("for (\\w+) in ([^;]+); do").matcher(fragment);
            if (!loop.find()) {
                return List.of(fragment);
            }
            List<String> copies = new ArrayList<>();
            for (String value : loop.group(2).trim().split("\\s+")) {
                copies.add(fragment.replaceAll("\\$\\{?" + loop.group(1) + "}?(?![\\w%#{])", value));
            }
            return copies;
        }

        static void check(String command, Manifests manifests, List<String> problems) throws IOException {
            List<String> words = words(command);
            List<String> positional = new ArrayList<>();
            String namespace = null;
            for (Iterator<String> it = words.subList(1, words.size()).iterator(); it.hasNext(); ) {
                String word = it.next();
                if (word.equals("--")) {
                    break;
                }
                if (VALUE_FLAGS.contains(word) && it.hasNext()) {
                    String value = it.next();
                    switch (word) {
                        case "-n", "--namespace" -> namespace = value;
                        case "-l", "--selector" -> checkLabels(command, value, manifests, problems);
                        case "-k" -> checkKustomization(command, value, problems);
                        case "-p", "--patch" -> checkPatch(command, positional, value, manifests, problems);
                        default -> { }
                    }
                } else if (!word.startsWith("-")) {
                    positional.add(word);
                }
            }
            if (positional.size() < 2 && namespace == null) {
                return; // prose naming a command ("kubectl scale on a Deployment ..."), not one to run
            }
            String verb = positional.get(0);
            if (verb.equals("apply")) {
                return; // -k checked above
            }
            if (!manifests.namespaces().contains(namespace) && !EXTERNAL.containsKey(namespace)) {
                problems.add(command + ": namespace " + namespace + " is not the manifests' " + manifests.namespaces());
            }
            int first = switch (verb) {
                case "rollout", "set", "top" -> 2;
                case "create" -> 3; // create secret generic NAME
                default -> 1;
            };
            List<String> args = positional.subList(Math.min(first, positional.size()), positional.size());
            if (verb.equals("create")) {
                checkCreatedSecret(command, args, words, manifests, problems);
                return;
            }
            List<String[]> references = references(verb, verb.equals("top") ? positional.get(1) : null, args);
            for (String[] reference : references) {
                checkReference(command, namespace, reference[0], reference[1], manifests, problems);
            }
            if (verb.equals("set") && !args.isEmpty() && args.size() > 1 && args.get(0).contains("/")) {
                String container = args.get(1).substring(0, args.get(1).indexOf('='));
                String deployment = args.get(0).substring(args.get(0).indexOf('/') + 1);
                if (!manifests.containers(deployment).contains(container)) {
                    problems.add(command + ": deployment " + deployment + " has no container " + container);
                }
            }
        }

        /** kind-or-alias and name (null when only a kind is named) of each object a command's arguments name. */
        static List<String[]> references(String verb, String topKind, List<String> args) {
            List<String[]> references = new ArrayList<>();
            if (topKind != null) {
                references.add(new String[] {topKind, null});
                return references;
            }
            if (args.isEmpty()) {
                return references;
            }
            boolean onlyFirst = Set.of("port-forward", "set", "annotate", "label", "exec", "logs").contains(verb);
            String firstArg = args.get(0);
            if (firstArg.contains("/")) {
                for (String arg : onlyFirst ? args.subList(0, 1) : args) {
                    if (arg.contains("/")) {
                        references.add(arg.split("/", 2));
                    }
                }
            } else if (verb.equals("exec") || verb.equals("logs")) {
                references.add(new String[] {"pod", firstArg});
            } else {
                for (String kind : firstArg.split(",")) {
                    references.add(new String[] {kind, null});
                }
                if (args.size() > 1 && !args.get(1).matches(".*[=:].*")) {
                    references.get(references.size() - 1)[1] = args.get(1);
                }
            }
            return references;
        }

        static void checkReference(String command, String namespace, String alias, String name, Manifests manifests,
                List<String> problems) {
            String lower = alias.toLowerCase();
            String kind = Stream.of(lower, lower.replaceAll("s$", ""), lower.replaceAll("es$", ""),
                    lower.replaceAll("ies$", "y")).map(KINDS::get).filter(k -> k != null).findFirst().orElse(null);
            if (kind == null) {
                problems.add(command + ": unknown kind " + alias);
                return;
            }
            if (name == null || name.contains("<") || name.contains("$")) {
                return; // a kind alone, or a placeholder the operator fills in
            }
            if (EXTERNAL.containsKey(namespace)) {
                if (!EXTERNAL.get(namespace).equals(kind + "/" + name)) {
                    problems.add(command + ": " + kind + "/" + name + " in " + namespace + " is not a known external object");
                }
                return;
            }
            if (!manifests.names(kind).contains(name)) {
                problems.add(command + ": no " + kind + " " + name + " in the rendered manifests (" + manifests.names(kind) + ")");
            }
        }

        static void checkLabels(String command, String selector, Manifests manifests, List<String> problems) {
            for (String pair : selector.split(",")) {
                if (!manifests.labels().contains(pair)) {
                    problems.add(command + ": no object or pod carries the label " + pair);
                }
            }
        }

        static void checkKustomization(String command, String path, List<String> problems) {
            if (!Files.isRegularFile(ROOT.resolve(path).resolve("kustomization.yaml"))) {
                problems.add(command + ": " + path + " has no kustomization.yaml");
            }
        }

        /** A ConfigMap patch may only set keys the ConfigMap has; a Service patch only select labels pods carry. */
        static void checkPatch(String command, List<String> positional, String patch, Manifests manifests,
                List<String> problems) throws IOException {
            JsonNode body = new ObjectMapper().readTree(patch);
            String target = String.join(" ", positional);
            Matcher configMap = Pattern.compile("(?:configmap/|configmap )([\\w-]+)").matcher(target);
            if (configMap.find()) {
                Set<String> keys = manifests.configMapKeys(configMap.group(1));
                body.path("data").fieldNames().forEachRemaining(key -> {
                    if (!keys.contains(key)) {
                        problems.add(command + ": ConfigMap " + configMap.group(1) + " has no key " + key);
                    }
                });
            }
            body.at("/spec/selector").fields().forEachRemaining(e -> checkLabels(command,
                    e.getKey() + "=" + e.getValue().asText(), manifests, problems));
        }

        /** {@code create secret generic NAME --from-literal=KEY=...}: a Secret the pods read, with keys they read. */
        static void checkCreatedSecret(String command, List<String> args, List<String> words, Manifests manifests,
                List<String> problems) {
            String name = args.isEmpty() ? "" : args.get(0);
            if (!manifests.referencedSecrets().contains(name)) {
                problems.add(command + ": no pod reads a Secret " + name);
                return;
            }
            Set<String> created = new TreeSet<>();
            for (String word : words) {
                if (word.startsWith("--from-literal=")) {
                    created.add(word.substring("--from-literal=".length()).split("=", 2)[0]);
                }
            }
            if (!created.equals(manifests.referencedSecretKeys(name))) {
                problems.add(command + ": creates keys " + created + ", the pods read " + manifests.referencedSecretKeys(name));
            }
        }

        /** Shell words: whitespace-separated, single and double quotes grouping (and removed). */
        static List<String> words(String command) {
            List<String> words = new ArrayList<>();
            StringBuilder word = new StringBuilder();
            char quote = 0;
            boolean inWord = false;
            for (char c : command.toCharArray()) {
                if (quote != 0) {
                    if (c == quote) {
                        quote = 0;
                    } else {
                        word.append(c);
                    }
                } else if (c == '\'' || c == '"') {
                    quote = c;
                    inWord = true;
                } else if (Character.isWhitespace(c)) {
                    if (inWord) {
                        words.add(word.toString());
                        word.setLength(0);
                        inWord = false;
                    }
                } else {
                    word.append(c);
                    inWord = true;
                }
            }
            if (inWord) {
                words.add(word.toString());
            }
            return words;
        }
    }
}
