package io.nexus.common.deployment;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The k8s/ kustomizations as a cluster would receive them: rendered by {@code kubectl kustomize} (offline), each
 * object kept as plain data and, for the kinds with a fabric8 model, converted into it strictly.
 */
final class KubernetesManifests {

    /** What the tests render: the complete base and both overlays. */
    static final List<String> KUSTOMIZATIONS = List.of("k8s/base", "k8s/overlays/production", "k8s/overlays/blue-green");

    /**
     * fabric8's models keep unknown fields in an "additionalProperties" map (a Jackson any-setter), which would accept
     * any typo. Without the any-setter, and without coercing "3" into 3, an unknown or mistyped field fails with its
     * path, as the API server's strict field validation would.
     */
    static final ObjectMapper STRICT = JsonMapper.builder()
            .annotationIntrospector(new JacksonAnnotationIntrospector() {
                @Override
                public Boolean hasAnySetter(Annotated annotated) {
                    return Boolean.FALSE;
                }

                @Override
                public boolean hasAnySetterAnnotation(com.fasterxml.jackson.databind.introspect.AnnotatedMethod method) {
                    return false;
                }
            })
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    private static final Map<String, List<Map<String, Object>>> RENDERED = new ConcurrentHashMap<>();

    private KubernetesManifests() {
    }

    /** The objects {@code kubectl kustomize <kustomization>} renders; the test is skipped only without kubectl. */
    static List<Map<String, Object>> render(String kustomization) {
        return RENDERED.computeIfAbsent(kustomization, KubernetesManifests::kustomize);
    }

    static <T> T convert(Map<String, Object> object, Class<T> model) {
        return STRICT.convertValue(object, model);
    }

    static <T> List<T> all(String kustomization, String kind, Class<T> model) {
        List<T> found = new ArrayList<>();
        for (Map<String, Object> object : render(kustomization)) {
            if (kind.equals(object.get("kind"))) {
                found.add(convert(object, model));
            }
        }
        return found;
    }

    static List<Map<String, Object>> raw(String kustomization, String kind) {
        return render(kustomization).stream().filter(object -> kind.equals(object.get("kind"))).toList();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    /** The value at a path of map keys, or null. */
    static Object at(Map<String, Object> object, String... path) {
        Object current = object;
        for (String key : path) {
            if (!(current instanceof Map<?, ?> level)) {
                return null;
            }
            current = level.get(key);
        }
        return current;
    }

    static String name(Map<String, Object> object) {
        return Objects.toString(at(object, "metadata", "name"), null);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> kustomize(String kustomization) {
        Process process;
        try {
            process = new ProcessBuilder("kubectl", "kustomize", ServiceConfiguration.ROOT.resolve(kustomization)
                    .toString()).redirectErrorStream(false).start();
        } catch (IOException noKubectl) {
            Assumptions.abort("kubectl is not installed: the k8s/ manifests cannot be rendered (" + noKubectl.getMessage()
                    + ")");
            throw new AssertionError("unreachable");
        }
        try (InputStream out = process.getInputStream(); InputStream err = process.getErrorStream()) {
            String yaml = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            String errors = new String(err.readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError("kubectl kustomize " + kustomization + " failed: " + errors);
            }
            // SafeConstructor: plain maps, lists and scalars; unquoted "yes" stays a boolean, as the API server sees it.
            Yaml parser = new Yaml(new SafeConstructor(new LoaderOptions()));
            List<Map<String, Object>> objects = new ArrayList<>();
            for (Object document : parser.loadAll(yaml)) {
                if (document != null) {
                    objects.add(new LinkedHashMap<>((Map<String, Object>) document));
                }
            }
            return List.copyOf(objects);
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("kubectl kustomize " + kustomization + ": " + e, e);
        }
    }
}
