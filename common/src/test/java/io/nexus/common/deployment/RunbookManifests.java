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

/** Every object of the rendered overlays, as JSON trees, plus the names operators derive from them. */
record RunbookManifests(List<JsonNode> objects) {
    static final List<String> OVERLAYS = List.of("k8s/base", "k8s/overlays/production", "k8s/overlays/blue-green");
    static RunbookManifests cached;

    static synchronized RunbookManifests render() throws Exception {
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
        cached = new RunbookManifests(objects);
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
