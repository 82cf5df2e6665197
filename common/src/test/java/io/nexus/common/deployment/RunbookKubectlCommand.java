package io.nexus.common.deployment;

import static io.nexus.common.deployment.RunbookTest.ROOT;
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

/** The kubectl commands of the runbook and what each of them names. */
final class RunbookKubectlCommand {
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

    static void check(String command, RunbookManifests manifests, List<String> problems) throws IOException {
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

    static void checkReference(String command, String namespace, String alias, String name, RunbookManifests manifests,
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

    static void checkLabels(String command, String selector, RunbookManifests manifests, List<String> problems) {
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
    static void checkPatch(String command, List<String> positional, String patch, RunbookManifests manifests,
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
    static void checkCreatedSecret(String command, List<String> args, List<String> words, RunbookManifests manifests,
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
