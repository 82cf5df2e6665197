package io.nexus.common.deployment;

import static io.nexus.common.deployment.KubernetesManifests.at;
import static io.nexus.common.deployment.KubernetesManifests.convert;
import static io.nexus.common.deployment.KubernetesManifests.map;
import static io.nexus.common.deployment.KubernetesManifests.name;
import static io.nexus.common.deployment.KubernetesManifests.render;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/**
 * The k8s/ kustomizations render offline, every object is valid for its API (strictly: an unknown or mistyped field
 * fails), and the objects agree with each other and with what the services are: selectors select pods, Services
 * reach container ports, probes hit Quarkus's health endpoints, each Deployment has exactly one autoscaler with the
 * runbook's spec, every container is hardened.
 */
class KubernetesManifestsTest {

    static final String NAMESPACE = "nexus-production";

    /** Kinds with a fabric8 model: converted strictly. */
    private static final Map<String, Class<?>> MODELS = Map.ofEntries(
            Map.entry("v1/Namespace", Namespace.class), Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Secret", Secret.class), Map.entry("v1/Service", Service.class),
            Map.entry("v1/ServiceAccount", ServiceAccount.class), Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("apps/v1/StatefulSet", StatefulSet.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("networking.k8s.io/v1/Ingress", Ingress.class), Map.entry("batch/v1/CronJob", CronJob.class));

    @ParameterizedTest
    @ValueSource(strings = {"k8s/base", "k8s/overlays/production", "k8s/overlays/blue-green"})
    void everyObjectIsValidForItsApiStrictly(String kustomization) {
        List<String> problems = new ArrayList<>();
        Set<String> identities = new TreeSet<>();
        for (Map<String, Object> object : render(kustomization)) {
            String type = object.get("apiVersion") + "/" + object.get("kind");
            String id = type + " " + name(object);
            try {
                convert(map(object.get("metadata")), ObjectMeta.class);
                Class<?> model = MODELS.get(type);
                if (model != null) {
                    convert(object, model);
                } else {
                    problems.addAll(CustomResources.check(object));
                }
            } catch (IllegalArgumentException invalid) {
                problems.add(id + ": " + invalid.getMessage().lines().findFirst().orElse(""));
            }
            if (!identities.add(id)) {
                problems.add(id + " is rendered twice");
            }
            if (!"Namespace".equals(object.get("kind")) && !NAMESPACE.equals(at(object, "metadata", "namespace"))) {
                problems.add(id + " is not in namespace " + NAMESPACE);
            }
            if (!"nexus".equals(at(object, "metadata", "labels", "app.kubernetes.io/part-of"))
                    || at(object, "metadata", "labels", "version") == null) {
                problems.add(id + " lacks the labels app.kubernetes.io/part-of: nexus and version");
            }
        }
        // Nothing secret is committed: Secrets are created in the cluster (k8s/README.md) or by operators.
        render(kustomization).stream().filter(o -> "Secret".equals(o.get("kind")))
                .forEach(o -> problems.add("Secret " + name(o) + " is committed"));
        assertEquals(List.of(), problems, kustomization);
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/base", "k8s/overlays/production"})
    void eachServiceHasItsObjectsNamedAfterIt(String kustomization) {
        for (String service : ServiceConfiguration.PORTS.keySet()) {
            for (String kind : List.of("Deployment", "Service", "ServiceAccount", "PodDisruptionBudget", "NetworkPolicy")) {
                assertTrue(KubernetesManifests.raw(kustomization, kind).stream().anyMatch(o -> service.equals(name(o))),
                        kind + " " + service);
            }
            String autoscaler = service.equals("workflow-service") ? "ScaledObject" : "HorizontalPodAutoscaler";
            assertTrue(KubernetesManifests.raw(kustomization, autoscaler).stream().anyMatch(o -> service.equals(name(o))),
                    autoscaler + " " + service);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/base", "k8s/overlays/production", "k8s/overlays/blue-green"})
    void selectorsSelectPodsAndServicesReachContainerPorts(String kustomization) {
        Map<String, PodTemplateSpec> templates = podTemplates(kustomization);
        List<String> problems = new ArrayList<>();
        for (Deployment deployment : KubernetesManifests.all(kustomization, "Deployment", Deployment.class)) {
            if (!selects(deployment.getSpec().getSelector().getMatchLabels(), deployment.getSpec().getTemplate())) {
                problems.add("Deployment " + deployment.getMetadata().getName() + " does not select its own pods");
            }
            Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
            String service = podLabels.get("app.kubernetes.io/name");
            if (!ServiceConfiguration.PORTS.containsKey(service) || !"nexus".equals(podLabels.get("app.kubernetes.io/part-of"))
                    || podLabels.get("version") == null) {
                problems.add("pods of " + deployment.getMetadata().getName() + " lack the name, part-of or version label");
            }
            // The version label says which release runs: the tag of the service's image.
            String image = deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
            if (!image.endsWith("/" + service + ":" + podLabels.get("version"))) {
                problems.add(deployment.getMetadata().getName() + " runs " + image + " labelled version "
                        + podLabels.get("version"));
            }
        }
        for (Service service : KubernetesManifests.all(kustomization, "Service", Service.class)) {
            List<PodTemplateSpec> selected = templates.values().stream()
                    .filter(t -> selects(service.getSpec().getSelector(), t)).toList();
            if (selected.isEmpty()) {
                problems.add("Service " + service.getMetadata().getName() + " selects no pods");
            }
            for (ServicePort port : service.getSpec().getPorts()) {
                for (PodTemplateSpec pod : selected) {
                    if (!exposes(pod, port.getTargetPort())) {
                        problems.add("Service " + service.getMetadata().getName() + " targets port "
                                + port.getTargetPort() + " that its pods do not have");
                    }
                }
            }
        }
        for (StatefulSet set : KubernetesManifests.all(kustomization, "StatefulSet", StatefulSet.class)) {
            // volumeClaimTemplates cannot change: a release label there would make the next release unappliable.
            set.getSpec().getVolumeClaimTemplates().stream().filter(claim -> claim.getMetadata().getLabels() != null
                    && claim.getMetadata().getLabels().containsKey("version"))
                    .forEach(claim -> problems.add("StatefulSet " + set.getMetadata().getName() + " labels its claim "
                            + claim.getMetadata().getName() + " with the release"));
        }
        for (PodDisruptionBudget budget : KubernetesManifests.all(kustomization, "PodDisruptionBudget",
                PodDisruptionBudget.class)) {
            if (templates.values().stream().noneMatch(t -> selects(budget.getSpec().getSelector().getMatchLabels(), t))) {
                problems.add("PodDisruptionBudget " + budget.getMetadata().getName() + " selects no pods");
            }
        }
        for (NetworkPolicy policy : KubernetesManifests.all(kustomization, "NetworkPolicy", NetworkPolicy.class)) {
            if (templates.values().stream().noneMatch(t -> selects(policy.getSpec().getPodSelector().getMatchLabels(), t))) {
                problems.add("NetworkPolicy " + policy.getMetadata().getName() + " selects no pods");
            }
        }
        assertEquals(List.of(), problems, kustomization);
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/base", "k8s/overlays/production", "k8s/overlays/blue-green"})
    void servicesListenOn8080BehindPort80(String kustomization) {
        for (Deployment deployment : KubernetesManifests.all(kustomization, "Deployment", Deployment.class)) {
            Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertEquals(List.of("http:8080"), container.getPorts().stream()
                    .map(p -> p.getName() + ":" + p.getContainerPort()).toList(), deployment.getMetadata().getName());
            assertEquals("8080", env(container, "QUARKUS_HTTP_PORT"), deployment.getMetadata().getName());
        }
        for (Service service : KubernetesManifests.all(kustomization, "Service", Service.class)) {
            if (ServiceConfiguration.PORTS.containsKey(service.getMetadata().getName())) {
                ServicePort port = service.getSpec().getPorts().get(0);
                assertEquals(List.of("http:80->http"), service.getSpec().getPorts().stream()
                        .map(p -> p.getName() + ":" + p.getPort() + "->" + p.getTargetPort().getStrVal()).toList(),
                        service.getMetadata().getName() + " " + port);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/base", "k8s/overlays/production", "k8s/overlays/blue-green"})
    void probesHitQuarkusHealthEndpointsOnTheServicePort(String kustomization) {
        for (Deployment deployment : KubernetesManifests.all(kustomization, "Deployment", Deployment.class)) {
            Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
            String id = deployment.getMetadata().getName();
            // The paths SmallRye Health serves (docs/api.md §1) on the only HTTP port (no management port).
            assertProbe(id + " startup", container.getStartupProbe(), "/q/health/started", deployment);
            assertProbe(id + " liveness", container.getLivenessProbe(), "/q/health/live", deployment);
            assertProbe(id + " readiness", container.getReadinessProbe(), "/q/health/ready", deployment);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/base", "k8s/overlays/production", "k8s/overlays/blue-green"})
    void everyContainerIsHardened(String kustomization) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, PodTemplateSpec> pod : podTemplates(kustomization).entrySet()) {
            PodSpec spec = pod.getValue().getSpec();
            String id = pod.getKey();
            if (!Boolean.FALSE.equals(spec.getAutomountServiceAccountToken())) {
                problems.add(id + " mounts a service account token");
            }
            if (spec.getSecurityContext() == null || spec.getSecurityContext().getSeccompProfile() == null
                    || !"RuntimeDefault".equals(spec.getSecurityContext().getSeccompProfile().getType())) {
                problems.add(id + " has no RuntimeDefault seccomp profile");
            }
            for (Container container : spec.getContainers()) {
                var context = container.getSecurityContext();
                boolean nonRoot = context != null && Boolean.TRUE.equals(context.getRunAsNonRoot())
                        && spec.getSecurityContext().getRunAsUser() != null && spec.getSecurityContext().getRunAsUser() > 0;
                if (!nonRoot || !Boolean.TRUE.equals(context.getReadOnlyRootFilesystem())
                        || !Boolean.FALSE.equals(context.getAllowPrivilegeEscalation())
                        || context.getCapabilities() == null || !List.of("ALL").equals(context.getCapabilities().getDrop())
                        || context.getPrivileged() != null && context.getPrivileged()) {
                    problems.add(id + "/" + container.getName() + " is not non-root, read-only, unprivileged with ALL dropped");
                }
                ResourceRequirements resources = container.getResources();
                if (resources == null || resources.getRequests() == null || resources.getLimits() == null
                        || !resources.getLimits().containsKey("memory")) {
                    problems.add(id + "/" + container.getName() + " has no requests or memory limit");
                }
            }
        }
        assertEquals(List.of(), problems, kustomization);
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/base", "k8s/overlays/production", "k8s/overlays/blue-green"})
    void servicesGetTheRunbookResourcesATmpDirectoryAndTimeToShutDown(String kustomization) {
        long shutdownSeconds = shutdownTimeoutSeconds(kustomization);
        for (Deployment deployment : KubernetesManifests.all(kustomization, "Deployment", Deployment.class)) {
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            Container container = pod.getContainers().get(0);
            String id = deployment.getMetadata().getName();
            // The runbook's resources (requests 1 CPU / 1 GiB, limits 2 CPU / 2 GiB).
            assertEquals("1000m/1Gi/2000m/2Gi", container.getResources().getRequests().get("cpu") + "/"
                    + container.getResources().getRequests().get("memory") + "/"
                    + container.getResources().getLimits().get("cpu") + "/"
                    + container.getResources().getLimits().get("memory"), id);
            // The root filesystem is read-only; Quarkus and Vert.x write under /tmp.
            assertTrue(container.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/tmp")
                    && pod.getVolumes().stream().anyMatch(v -> v.getName().equals(m.getName()) && v.getEmptyDir() != null)),
                    id + " mounts an emptyDir on /tmp");
            long preStop = container.getLifecycle() == null || container.getLifecycle().getPreStop() == null
                    || container.getLifecycle().getPreStop().getSleep() == null ? 0
                    : container.getLifecycle().getPreStop().getSleep().getSeconds();
            long grace = pod.getTerminationGracePeriodSeconds() == null ? 30 : pod.getTerminationGracePeriodSeconds();
            assertTrue(grace > preStop + shutdownSeconds, id + ": a grace period of " + grace + " s must exceed the "
                    + preStop + " s preStop plus the " + shutdownSeconds + " s shutdown timeout");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/base", "k8s/overlays/production", "k8s/overlays/blue-green"})
    void eachDeploymentHasExactlyOneAutoscalerWithTheRunbookSpec(String kustomization) {
        Map<String, List<String>> autoscalers = new TreeMap<>();
        KubernetesManifests.raw(kustomization, "Deployment").forEach(d -> autoscalers.put(name(d), new ArrayList<>()));
        HorizontalPodAutoscalerBehavior runbook = convert(Map.of(
                "scaleUp", Map.of("stabilizationWindowSeconds", 60,
                        "policies", List.of(Map.of("type", "Percent", "value", 100, "periodSeconds", 15))),
                "scaleDown", Map.of("stabilizationWindowSeconds", 300,
                        "policies", List.of(Map.of("type", "Percent", "value", 10, "periodSeconds", 60)))),
                HorizontalPodAutoscalerBehavior.class);
        for (HorizontalPodAutoscaler hpa : KubernetesManifests.all(kustomization, "HorizontalPodAutoscaler",
                HorizontalPodAutoscaler.class)) {
            String id = "HorizontalPodAutoscaler " + hpa.getMetadata().getName();
            assertEquals("apps/v1/Deployment", hpa.getSpec().getScaleTargetRef().getApiVersion() + "/"
                    + hpa.getSpec().getScaleTargetRef().getKind(), id);
            autoscalers.computeIfAbsent(hpa.getSpec().getScaleTargetRef().getName(), d -> new ArrayList<>()).add(id);
            assertEquals(hpa.getSpec().getScaleTargetRef().getName(), hpa.getMetadata().getName(), id + " is named after its Deployment");
            assertEquals(3, hpa.getSpec().getMinReplicas(), id);
            assertEquals(20, hpa.getSpec().getMaxReplicas(), id);
            assertEquals(List.of("cpu:70", "memory:80"), hpa.getSpec().getMetrics().stream()
                    .map(m -> m.getType() + "/" + m.getResource().getName() + ":" + m.getResource().getTarget().getType() + ":"
                            + m.getResource().getTarget().getAverageUtilization())
                    .map(s -> s.replace("Resource/", "").replace(":Utilization", "")).toList(), id);
            assertEquals(runbook, hpa.getSpec().getBehavior(), id);
        }
        for (Map<String, Object> scaledObject : KubernetesManifests.raw(kustomization, "ScaledObject")) {
            String id = "ScaledObject " + name(scaledObject);
            String target = (String) at(scaledObject, "spec", "scaleTargetRef", "name");
            autoscalers.computeIfAbsent(target, d -> new ArrayList<>()).add(id);
            assertEquals(target, name(scaledObject), id + " is named after its Deployment");
            // KEDA names the HPA it owns after this: the same name a plain HPA would have.
            assertEquals(target, at(scaledObject, "spec", "advanced", "horizontalPodAutoscalerConfig", "name"), id);
            assertEquals(3, at(scaledObject, "spec", "minReplicaCount"), id);
            assertEquals(20, at(scaledObject, "spec", "maxReplicaCount"), id);
            assertEquals(runbook, convert(map(at(scaledObject, "spec", "advanced", "horizontalPodAutoscalerConfig",
                    "behavior")), HorizontalPodAutoscalerBehavior.class), id);
            List<String> triggers = new ArrayList<>();
            for (Object trigger : (List<?>) at(scaledObject, "spec", "triggers")) {
                Map<String, Object> t = map(trigger);
                Map<String, Object> metadata = map(t.get("metadata"));
                triggers.add(switch ((String) t.get("type")) {
                    case "cpu", "memory" -> t.get("type") + ":" + t.get("metricType") + ":" + metadata.get("value");
                    case "prometheus" -> "prometheus:" + metadata.get("serverAddress") + ":" + metadata.get("query");
                    default -> "unexpected " + t.get("type");
                });
                if ("prometheus".equals(t.get("type"))) {
                    assertTrue(Double.parseDouble((String) metadata.get("threshold")) > 0, id + " threshold");
                }
            }
            assertEquals(List.of("cpu:Utilization:70", "memory:Utilization:80",
                    "prometheus:http://prometheus-operated.monitoring.svc:9090:max(nexus_workflow_executions_backlog)"),
                    triggers, id);
        }
        List<String> problems = new ArrayList<>();
        autoscalers.forEach((deployment, scalers) -> {
            if (scalers.size() != 1) {
                problems.add("Deployment " + deployment + " has " + scalers.size() + " autoscalers " + scalers);
            }
        });
        assertEquals(List.of(), problems, kustomization);
        // workflow-service scales on its backlog too, so it is KEDA's and never a plain HPA's.
        assertTrue(KubernetesManifests.raw(kustomization, "ScaledObject").size() >= 1, kustomization);
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/base", "k8s/overlays/production", "k8s/overlays/blue-green"})
    void theGatewayIsReachedOverTls12Or13ThroughItsIngressOnly(String kustomization) {
        List<Ingress> ingresses = KubernetesManifests.all(kustomization, "Ingress", Ingress.class);
        assertEquals(List.of("nexus-gateway"), ingresses.stream().map(i -> i.getMetadata().getName()).toList());
        Ingress ingress = ingresses.get(0);
        Map<String, String> annotations = ingress.getMetadata().getAnnotations();
        assertEquals("letsencrypt-prod", annotations.get("cert-manager.io/cluster-issuer"));
        assertEquals("TLSv1.2 TLSv1.3", annotations.get("nginx.ingress.kubernetes.io/ssl-protocols"));
        assertEquals("nexus-gateway-tls", ingress.getSpec().getTls().get(0).getSecretName());
        assertEquals(ingress.getSpec().getRules().get(0).getHost(), ingress.getSpec().getTls().get(0).getHosts().get(0));
        var paths = ingress.getSpec().getRules().get(0).getHttp().getPaths();
        // Only what the gateway serves to clients (docs/api.md §1); its /q/* stays inside the cluster.
        assertEquals(Set.of("/api", "/mcp", "/health"), paths.stream().map(p -> p.getPath())
                .collect(java.util.stream.Collectors.toSet()));
        paths.forEach(p -> assertEquals("api-gateway:http", p.getBackend().getService().getName() + ":"
                + p.getBackend().getService().getPort().getName()));
        for (Service service : KubernetesManifests.all(kustomization, "Service", Service.class)) {
            String type = service.getSpec().getType();
            assertTrue(type == null || type.equals("ClusterIP"), service.getMetadata().getName() + " is internal");
        }
    }

    static Map<String, PodTemplateSpec> podTemplates(String kustomization) {
        Map<String, PodTemplateSpec> templates = new TreeMap<>();
        KubernetesManifests.all(kustomization, "Deployment", Deployment.class)
                .forEach(d -> templates.put("Deployment " + d.getMetadata().getName(), d.getSpec().getTemplate()));
        KubernetesManifests.all(kustomization, "StatefulSet", StatefulSet.class)
                .forEach(s -> templates.put("StatefulSet " + s.getMetadata().getName(), s.getSpec().getTemplate()));
        KubernetesManifests.all(kustomization, "CronJob", CronJob.class).forEach(c -> templates.put("CronJob "
                + c.getMetadata().getName(), c.getSpec().getJobTemplate().getSpec().getTemplate()));
        return templates;
    }

    static boolean selects(Map<String, String> selector, PodTemplateSpec pod) {
        Map<String, String> labels = pod.getMetadata() == null || pod.getMetadata().getLabels() == null ? Map.of()
                : pod.getMetadata().getLabels();
        return selector != null && !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet());
    }

    static String env(Container container, String name) {
        return container.getEnv().stream().filter(e -> e.getName().equals(name)).map(e -> e.getValue()).findFirst()
                .orElse(null);
    }

    /** NEXUS_SHUTDOWN_TIMEOUT as nexus-config sets it, else the shared default of quarkus.shutdown.timeout. */
    static long shutdownTimeoutSeconds(String kustomization) {
        String value = KubernetesManifests.all(kustomization, "ConfigMap", ConfigMap.class).stream()
                .filter(c -> c.getMetadata().getName().equals("nexus-config")).findFirst()
                .map(c -> c.getData().get("NEXUS_SHUTDOWN_TIMEOUT")).orElse(null);
        if (value == null) {
            try {
                var matcher = java.util.regex.Pattern.compile("quarkus\\.shutdown\\.timeout=\\$\\{NEXUS_SHUTDOWN_TIMEOUT:([^}]+)}")
                        .matcher(ServiceConfiguration.sharedProperties());
                assertTrue(matcher.find(), "the shared shutdown timeout");
                value = matcher.group(1);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }
        var duration = java.util.regex.Pattern.compile("(\\d+)(s|m)").matcher(value);
        assertTrue(duration.matches(), "a shutdown timeout in s or m: " + value);
        return Long.parseLong(duration.group(1)) * (duration.group(2).equals("m") ? 60 : 1);
    }

    private static boolean exposes(PodTemplateSpec pod, IntOrString port) {
        for (Container container : pod.getSpec().getContainers()) {
            for (ContainerPort declared : container.getPorts()) {
                if (port.getStrVal() != null ? port.getStrVal().equals(declared.getName())
                        : port.getIntVal().equals(declared.getContainerPort())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void assertProbe(String id, Probe probe, String path, Deployment deployment) {
        assertTrue(probe != null && probe.getHttpGet() != null, id + " probe over HTTP");
        assertEquals(path, probe.getHttpGet().getPath(), id);
        PodTemplateSpec pod = deployment.getSpec().getTemplate();
        assertTrue(exposes(pod, probe.getHttpGet().getPort()), id + " probes a port the container has");
        assertFalse(probe.getHttpGet().getPort().getStrVal() == null
                && probe.getHttpGet().getPort().getIntVal() != 8080, id + " probes the HTTP port");
    }
}
