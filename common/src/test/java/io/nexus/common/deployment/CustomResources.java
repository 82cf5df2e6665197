package io.nexus.common.deployment;

import static io.nexus.common.deployment.KubernetesManifests.at;
import static io.nexus.common.deployment.KubernetesManifests.convert;
import static io.nexus.common.deployment.KubernetesManifests.map;
import static io.nexus.common.deployment.KubernetesManifests.name;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;

/**
 * Field checks for the operators' resources, which have no fabric8 model here: the spec fields each API version
 * defines (from the operators' CRD references), the ones it requires, and the parts that embed core types
 * (resources, HPA behaviour, NetworkPolicy peers) converted strictly into those.
 */
final class CustomResources {

    private record Shape(Set<String> spec, Set<String> required) {
    }

    private static final Map<String, Shape> SHAPES = Map.ofEntries(
            // KEDA 2.x, keda.sh/v1alpha1
            Map.entry("keda.sh/v1alpha1/ScaledObject", new Shape(Set.of("scaleTargetRef", "pollingInterval",
                    "cooldownPeriod", "initialCooldownPeriod", "idleReplicaCount", "minReplicaCount", "maxReplicaCount",
                    "advanced", "triggers", "fallback"), Set.of("scaleTargetRef", "triggers"))),
            // CloudNativePG 1.25+, postgresql.cnpg.io/v1
            Map.entry("postgresql.cnpg.io/v1/Cluster", new Shape(Set.of("instances", "imageName", "imageCatalogRef",
                    "primaryUpdateStrategy", "primaryUpdateMethod", "postgresql", "bootstrap", "storage", "walStorage",
                    "resources", "plugins", "backup", "affinity", "monitoring", "description", "enableSuperuserAccess",
                    "superuserSecret", "managed", "replica", "externalClusters", "minSyncReplicas", "maxSyncReplicas",
                    "startDelay", "stopDelay", "smartShutdownTimeout", "switchoverDelay", "failoverDelay",
                    "env", "envFrom", "priorityClassName", "topologySpreadConstraints", "logLevel", "inheritedMetadata",
                    "enablePDB", "tablespaces", "probes"), Set.of("instances", "storage"))),
            Map.entry("postgresql.cnpg.io/v1/Database", new Shape(Set.of("cluster", "name", "owner", "ensure",
                    "databaseReclaimPolicy", "template", "encoding", "locale", "extensions", "schemas", "allowConnections",
                    "connectionLimit", "isTemplate", "tablespace"), Set.of("cluster", "name", "owner"))),
            Map.entry("postgresql.cnpg.io/v1/ScheduledBackup", new Shape(Set.of("schedule", "cluster",
                    "backupOwnerReference", "target", "method", "pluginConfiguration", "immediate", "suspend", "online",
                    "onlineConfiguration"), Set.of("schedule", "cluster"))),
            // The Barman Cloud plugin of CloudNativePG, barmancloud.cnpg.io/v1
            Map.entry("barmancloud.cnpg.io/v1/ObjectStore", new Shape(Set.of("configuration", "retentionPolicy",
                    "instanceSidecarConfiguration"), Set.of("configuration"))),
            // Strimzi 0.45+, kafka.strimzi.io/v1beta2
            Map.entry("kafka.strimzi.io/v1beta2/Kafka", new Shape(Set.of("kafka", "entityOperator", "cruiseControl",
                    "kafkaExporter", "clusterCa", "clientsCa", "maintenanceTimeWindows"), Set.of("kafka"))),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaNodePool", new Shape(Set.of("replicas", "roles", "storage",
                    "resources", "jvmOptions", "template"), Set.of("replicas", "roles", "storage"))),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaTopic", new Shape(Set.of("topicName", "partitions", "replicas",
                    "config"), Set.of("partitions", "replicas"))),
            // prometheus-operator, monitoring.coreos.com/v1
            Map.entry("monitoring.coreos.com/v1/ServiceMonitor", new Shape(Set.of("endpoints", "selector",
                    "namespaceSelector", "jobLabel", "targetLabels", "podTargetLabels", "sampleLimit", "targetLimit",
                    "labelLimit", "labelNameLengthLimit", "labelValueLengthLimit", "attachMetadata",
                    "scrapeProtocols", "fallbackScrapeProtocol", "keepDroppedTargets", "scrapeClass", "bodySizeLimit",
                    "selectorMechanism", "scrapeClassicHistograms", "nativeHistogramBucketLimit",
                    "nativeHistogramMinBucketFactor", "convertClassicHistogramsToNHCB"), Set.of("endpoints", "selector"))),
            Map.entry("monitoring.coreos.com/v1/PodMonitor", new Shape(Set.of("podMetricsEndpoints", "selector",
                    "namespaceSelector", "jobLabel", "podTargetLabels", "sampleLimit", "targetLimit", "attachMetadata",
                    "scrapeClass", "bodySizeLimit", "selectorMechanism"), Set.of("selector"))),
            Map.entry("monitoring.coreos.com/v1/PrometheusRule", new Shape(Set.of("groups"), Set.of("groups"))));

    private CustomResources() {
    }

    /** What is wrong with a custom resource; an unknown API group, version or kind is wrong too. */
    static List<String> check(Map<String, Object> object) {
        String type = object.get("apiVersion") + "/" + object.get("kind");
        String id = type + " " + name(object);
        List<String> problems = new ArrayList<>();
        Shape shape = SHAPES.get(type);
        if (shape == null) {
            return List.of(id + ": neither a Kubernetes kind with a model nor a known operator resource");
        }
        Set<String> keys = new TreeSet<>(object.keySet());
        keys.removeAll(Set.of("apiVersion", "kind", "metadata", "spec"));
        if (!keys.isEmpty()) {
            problems.add(id + ": unknown top-level fields " + keys);
        }
        Map<String, Object> spec = map(object.get("spec"));
        Set<String> unknown = new TreeSet<>(spec.keySet());
        unknown.removeAll(shape.spec());
        if (!unknown.isEmpty()) {
            problems.add(id + ": unknown spec fields " + unknown);
        }
        Set<String> missing = new TreeSet<>(shape.required());
        missing.removeAll(spec.keySet());
        if (!missing.isEmpty()) {
            problems.add(id + ": missing spec fields " + missing);
        }
        // The embedded core types, strictly.
        for (Object resources : List.of(nullToEmpty(spec.get("resources")))) {
            convert(map(resources), ResourceRequirements.class);
        }
        if (type.startsWith("keda.sh/")) {
            convert(map(at(object, "spec", "advanced", "horizontalPodAutoscalerConfig", "behavior")),
                    HorizontalPodAutoscalerBehavior.class);
            for (Object trigger : (List<?>) spec.getOrDefault("triggers", List.of())) {
                Set<String> fields = new TreeSet<>(map(trigger).keySet());
                fields.removeAll(Set.of("type", "metadata", "metricType", "name", "useCachedMetrics", "authenticationRef"));
                if (!fields.isEmpty()) {
                    problems.add(id + ": unknown trigger fields " + fields);
                }
            }
        }
        if (type.equals("kafka.strimzi.io/v1beta2/Kafka")) {
            for (Object listener : (List<?>) map(spec.get("kafka")).getOrDefault("listeners", List.of())) {
                for (Object peer : (List<?>) map(listener).getOrDefault("networkPolicyPeers", List.of())) {
                    convert(map(peer), NetworkPolicyPeer.class);
                }
            }
        }
        if (type.startsWith("kafka.strimzi.io/") && !type.endsWith("/Kafka")
                && at(object, "metadata", "labels", "strimzi.io/cluster") == null) {
            problems.add(id + ": no strimzi.io/cluster label, no Strimzi operator takes it");
        }
        return problems;
    }

    private static Object nullToEmpty(Object value) {
        return value == null ? Map.of() : value;
    }
}
