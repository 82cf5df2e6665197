package io.nexus.common.deployment;

import static io.nexus.common.deployment.KubernetesManifests.all;
import static io.nexus.common.deployment.KubernetesManifests.at;
import static io.nexus.common.deployment.KubernetesManifests.map;
import static io.nexus.common.deployment.KubernetesManifests.name;
import static io.nexus.common.deployment.KubernetesManifests.raw;
import static io.nexus.common.deployment.KubernetesManifests.render;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;

/**
 * The k8s/ manifests are wired to what the services really are: every variable a Deployment sets is one its service
 * reads, every ConfigMap key and Secret a pod uses exists (or is created by an operator or by hand as k8s/README.md
 * says), the network policies let each service reach exactly what its configuration points at, the Kafka topics and
 * databases are the ones the services use, and PostgreSQL has room for every pool at full scale.
 */
class KubernetesWiringTest {

    /** Secrets the manifests use without shipping them: who creates each, and its keys. */
    private static final Map<String, Set<String>> EXTERNAL_SECRETS = Map.of(
            // by hand, as k8s/README.md shows
            "nexus-secrets", Set.of("NEXUS_ADMIN_KEY", "NEXUS_INTERNAL_KEY", "NEXUS_SECRETS_KEYS", "NEXUS_SECRETS_ACTIVE_KEY"),
            "nexus-backup-s3", Set.of("ACCESS_KEY_ID", "ACCESS_SECRET_KEY"),
            // by CloudNativePG for the owner of Cluster nexus-postgres's databases
            "nexus-postgres-app", Set.of("username", "password"));
    /** Read by the image's launcher (run-java.sh of the ubi openjdk images), not by the service. */
    private static final Set<String> IMAGE_VARIABLES = Set.of("JAVA_OPTS_APPEND");
    /** Per replica beyond its reactive pool: Flyway's JDBC pool (2), the outbox relay's lock, table upkeep. */
    private static final int CONNECTIONS_BESIDE_THE_POOL = 4;

    @ParameterizedTest
    @ValueSource(strings = {"k8s/base", "k8s/overlays/production", "k8s/overlays/blue-green"})
    void everyVariableADeploymentSetsIsOneItsServiceReads(String kustomization) throws IOException {
        Map<String, Map<String, String>> documented = ServiceConfiguration.documentedVariables();
        List<String> problems = new ArrayList<>();
        for (Deployment deployment : all(kustomization, "Deployment", Deployment.class)) {
            String service = service(deployment);
            String dockerfile = Files.readString(ServiceConfiguration.ROOT.resolve(service)
                    .resolve("src/main/docker/Dockerfile.jvm"));
            for (EnvVar variable : container(deployment).getEnv()) {
                boolean read = documented.get(service).containsKey(variable.getName())
                        || IMAGE_VARIABLES.contains(variable.getName()) && dockerfile.contains("ENV " + variable.getName() + "=");
                if (!read) {
                    problems.add(deployment.getMetadata().getName() + " sets " + variable.getName()
                            + ", which " + service + " does not read");
                }
            }
            if (!container(deployment).getEnvFrom().isEmpty()) {
                problems.add(deployment.getMetadata().getName() + " imports whole ConfigMaps or Secrets (envFrom): "
                        + "each service gets only the variables it reads");
            }
        }
        assertEquals(List.of(), problems, kustomization);
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/base", "k8s/overlays/production", "k8s/overlays/blue-green"})
    void everyConfigMapKeyAndSecretAPodUsesExists(String kustomization) throws IOException {
        Map<String, Map<String, String>> configMaps = new TreeMap<>();
        all(kustomization, "ConfigMap", ConfigMap.class).forEach(c -> configMaps.put(c.getMetadata().getName(), c.getData()));
        String readme = Files.readString(ServiceConfiguration.ROOT.resolve("k8s/README.md"));
        Set<String> usedKeys = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        for (Deployment deployment : all(kustomization, "Deployment", Deployment.class)) {
            for (EnvVar variable : container(deployment).getEnv()) {
                if (variable.getValueFrom() == null) {
                    continue;
                }
                var configMapKey = variable.getValueFrom().getConfigMapKeyRef();
                var secretKey = variable.getValueFrom().getSecretKeyRef();
                if (configMapKey != null) {
                    usedKeys.add(configMapKey.getName() + "/" + configMapKey.getKey());
                    if (!configMaps.getOrDefault(configMapKey.getName(), Map.of()).containsKey(configMapKey.getKey())) {
                        problems.add(deployment.getMetadata().getName() + " reads " + configMapKey.getName() + "/"
                                + configMapKey.getKey() + ", which does not exist");
                    }
                }
                if (secretKey != null && !EXTERNAL_SECRETS.getOrDefault(secretKey.getName(), Set.of())
                        .contains(secretKey.getKey())) {
                    problems.add(deployment.getMetadata().getName() + " reads Secret " + secretKey.getName() + "/"
                            + secretKey.getKey() + ", which nobody creates");
                }
            }
        }
        configMaps.getOrDefault("nexus-config", Map.of()).keySet().stream().filter(k -> !usedKeys.contains("nexus-config/" + k))
                .forEach(k -> problems.add("nexus-config/" + k + " is passed to no service"));
        for (Map<String, Object> store : raw(kustomization, "ObjectStore")) {
            for (String credential : List.of("accessKeyId", "secretAccessKey")) {
                Map<String, Object> ref = map(at(store, "spec", "configuration", "s3Credentials", credential));
                if (!EXTERNAL_SECRETS.getOrDefault((String) ref.get("name"), Set.of()).contains(ref.get("key"))) {
                    problems.add("ObjectStore " + name(store) + " reads Secret " + ref + ", which nobody creates");
                }
            }
        }
        // The Secrets made by hand are made as the README says, with every key.
        for (String secret : List.of("nexus-secrets", "nexus-backup-s3")) {
            Matcher command = Pattern.compile("create secret generic " + secret + "(?:[^\\n]*\\\\\\n)*[^\\n]*").matcher(readme);
            assertTrue(command.find(), "k8s/README.md shows how to create " + secret);
            for (String key : EXTERNAL_SECRETS.get(secret)) {
                assertTrue(command.group().contains("--from-literal=" + key + "="), secret + " " + key + " in k8s/README.md");
            }
        }
        // CloudNativePG names the owner's Secret <cluster>-app.
        for (Map<String, Object> cluster : raw(kustomization, "Cluster")) {
            assertEquals("nexus-postgres", name(cluster));
            assertEquals("nexus", at(cluster, "spec", "bootstrap", "initdb", "owner"));
        }
        assertEquals(List.of(), problems, kustomization);
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/base", "k8s/overlays/production", "k8s/overlays/blue-green"})
    void addressesInTheConfigurationNameObjectsThatExist(String kustomization) {
        Map<String, String> config = config(kustomization);
        Set<String> services = all(kustomization, "Service", Service.class).stream().map(s -> s.getMetadata().getName())
                .collect(Collectors.toSet());
        for (String service : ServiceConfiguration.PORTS.keySet()) {
            if (service.equals("api-gateway")) {
                continue; // nothing calls the gateway from inside
            }
            String variable = service.replace('-', '_').toUpperCase() + "_URL";
            assertEquals("http://" + service, config.get(variable), variable + ": the Service on port 80");
            assertTrue(services.contains(service), service);
        }
        assertEquals("nexus-postgres-rw", config.get("DB_HOST"), "the Cluster's read-write Service");
        assertEquals("5432", config.get("DB_PORT"));
        Map<String, Object> kafka = raw(kustomization, "Kafka").get(0);
        Object plainPort = ((List<?>) at(kafka, "spec", "kafka", "listeners")).stream().map(KubernetesManifests::map)
                .filter(l -> Boolean.FALSE.equals(l.get("tls"))).findFirst().orElseThrow().get("port");
        assertEquals(name(kafka) + "-kafka-bootstrap:" + plainPort, config.get("KAFKA_BOOTSTRAP_SERVERS"));
        Matcher redis = Pattern.compile("redis://([a-z0-9-]+):(\\d+)").matcher(config.get("REDIS_URL"));
        assertTrue(redis.matches() && services.contains(redis.group(1)), "REDIS_URL names the Redis Service");
        assertTrue(raw(kustomization, "StatefulSet").stream().anyMatch(s -> redis.group(1).equals(name(s))), "Redis runs");
        // The services' own table upkeep is off only where PostgreSQL vacuums.
        Object autovacuum = at(raw(kustomization, "Cluster").get(0), "spec", "postgresql", "parameters", "autovacuum");
        assertEquals("false", config.get("NEXUS_VACUUM_ENABLED"));
        assertTrue(autovacuum == null || autovacuum.equals("on"), "autovacuum on in the Cluster");
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/base", "k8s/overlays/production", "k8s/overlays/blue-green"})
    void eachServiceWithADatabaseHasItsOwnInTheCluster(String kustomization) throws IOException {
        Set<String> databases = raw(kustomization, "Database").stream()
                .filter(d -> "nexus-postgres".equals(at(d, "spec", "cluster", "name")))
                .filter(d -> "nexus".equals(at(d, "spec", "owner")))
                .map(d -> (String) at(d, "spec", "name")).collect(Collectors.toSet());
        for (Deployment deployment : all(kustomization, "Deployment", Deployment.class)) {
            String service = service(deployment);
            Matcher fallback = Pattern.compile("\\$\\{DB_NAME:([a-z_]+)}").matcher(ServiceConfiguration.properties(service));
            String set = KubernetesManifestsTest.env(container(deployment), "DB_NAME");
            if (fallback.find()) {
                assertEquals(fallback.group(1), set, deployment.getMetadata().getName() + " DB_NAME");
                assertTrue(databases.contains(set), "a Database " + set + " in Cluster nexus-postgres");
            } else {
                assertEquals(null, set, service + " has no database");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/base", "k8s/overlays/production", "k8s/overlays/blue-green"})
    void postgresHasRoomForEveryPoolAtFullScale(String kustomization) {
        int maxConnections = Integer.parseInt((String) at(raw(kustomization, "Cluster").get(0), "spec", "postgresql",
                "parameters", "max_connections"));
        int pool = Integer.parseInt(config(kustomization).get("DB_POOL_MAX_SIZE"));
        Map<String, Integer> maxByDeployment = new TreeMap<>();
        Map<String, Integer> minByDeployment = new TreeMap<>();
        all(kustomization, "HorizontalPodAutoscaler", HorizontalPodAutoscaler.class).forEach(h -> {
            maxByDeployment.put(h.getSpec().getScaleTargetRef().getName(), h.getSpec().getMaxReplicas());
            minByDeployment.put(h.getSpec().getScaleTargetRef().getName(), h.getSpec().getMinReplicas());
        });
        raw(kustomization, "ScaledObject").forEach(s -> {
            maxByDeployment.put((String) at(s, "spec", "scaleTargetRef", "name"), (Integer) at(s, "spec", "maxReplicaCount"));
            minByDeployment.put((String) at(s, "spec", "scaleTargetRef", "name"), (Integer) at(s, "spec", "minReplicaCount"));
        });
        // Per service: one Deployment (the live slot) at its maximum, any other (the idle slot) at its minimum.
        Map<String, List<Deployment>> byService = all(kustomization, "Deployment", Deployment.class).stream()
                .filter(d -> KubernetesManifestsTest.env(container(d), "DB_NAME") != null)
                .collect(Collectors.groupingBy(KubernetesWiringTest::service));
        int replicas = 0;
        for (List<Deployment> slots : byService.values()) {
            int max = slots.stream().mapToInt(d -> maxByDeployment.get(d.getMetadata().getName())).max().orElseThrow();
            int mins = slots.stream().mapToInt(d -> minByDeployment.get(d.getMetadata().getName())).sum();
            replicas += max + mins - slots.stream().mapToInt(d -> minByDeployment.get(d.getMetadata().getName())).max()
                    .orElseThrow();
        }
        int needed = replicas * (pool + CONNECTIONS_BESIDE_THE_POOL);
        // PostgreSQL keeps 3 for superusers; CloudNativePG's replication and probes take a few more.
        assertTrue(needed <= maxConnections - 10, kustomization + ": " + replicas + " replicas need " + needed
                + " connections, max_connections is " + maxConnections);
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/base", "k8s/overlays/production", "k8s/overlays/blue-green"})
    void networkPoliciesLetEachServiceReachWhatItUsesAndNothingElse(String kustomization) {
        Map<String, Set<String>> uses = new TreeMap<>();
        for (Deployment deployment : all(kustomization, "Deployment", Deployment.class)) {
            uses.put(service(deployment), dependencies(container(deployment)));
        }
        Map<String, NetworkPolicy> policies = all(kustomization, "NetworkPolicy", NetworkPolicy.class).stream()
                .collect(Collectors.toMap(p -> p.getMetadata().getName(), p -> p));
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Set<String>> service : uses.entrySet()) {
            NetworkPolicy policy = policies.get(service.getKey());
            if (policy == null) {
                problems.add(service.getKey() + " has no NetworkPolicy");
                continue;
            }
            assertEquals(List.of("Ingress", "Egress"), policy.getSpec().getPolicyTypes(), service.getKey());
            Set<String> egress = new TreeSet<>();
            policy.getSpec().getEgress().forEach(rule -> rule.getTo().forEach(peer -> egress.add(peer(peer))));
            Set<String> expectedEgress = new TreeSet<>(service.getValue());
            expectedEgress.add("dns");
            if (service.getKey().equals("workflow-service")) {
                // http nodes call tenants' endpoints on the internet (private ranges excluded)
                expectedEgress.addAll(Set.of("internet:0.0.0.0/0", "internet:::/0"));
            }
            if (!egress.equals(expectedEgress)) {
                problems.add(service.getKey() + " may reach " + egress + " but uses " + expectedEgress);
            }
            Set<String> ingress = new TreeSet<>();
            policy.getSpec().getIngress().forEach(rule -> rule.getFrom().forEach(peer -> ingress.add(peer(peer))));
            Set<String> expectedIngress = new TreeSet<>(Set.of("namespace:monitoring"));
            uses.forEach((caller, used) -> {
                if (used.contains(service.getKey())) {
                    expectedIngress.add(caller);
                }
            });
            if (service.getKey().equals("api-gateway")) {
                expectedIngress.add("namespace:ingress-nginx/ingress-nginx");
            }
            if (!ingress.equals(expectedIngress)) {
                problems.add(service.getKey() + " is reached by " + ingress + " but called by " + expectedIngress);
            }
        }
        NetworkPolicy redis = policies.get("nexus-redis");
        Set<String> redisClients = new TreeSet<>();
        redis.getSpec().getIngress().forEach(rule -> rule.getFrom().forEach(peer -> redisClients.add(peer(peer))));
        Set<String> expectedClients = uses.entrySet().stream().filter(e -> e.getValue().contains("redis"))
                .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
        if (!redisClients.equals(expectedClients)) {
            problems.add("Redis is reached by " + redisClients + " but used by " + expectedClients);
        }
        assertEquals(List.of(), problems, kustomization);
    }

    @Test
    void kafkaTopicsAreTheOnesTheServicesUseWithTheirDeadLetterTopics() throws IOException {
        Set<String> expected = new TreeSet<>();
        // Produced: docs/api.md §6.2 (the per-tenant nexus.integration.<tenantId> topics are created on first use).
        Matcher produced = Pattern.compile("^\\| `(nexus\\.[a-z]+)` \\|", Pattern.MULTILINE)
                .matcher(Files.readString(ServiceConfiguration.ROOT.resolve("docs/api.md")));
        while (produced.find()) {
            expected.add(produced.group(1));
        }
        // Consumed, and where failures are parked: SmallRye's dead-letter-topic-<channel>.
        Pattern topic = Pattern.compile("^mp\\.messaging\\.incoming\\.([a-z-]+)\\.topic=(?:\\$\\{[^}]*})?(nexus\\.[a-z]+)$",
                Pattern.MULTILINE);
        for (String service : ServiceConfiguration.PORTS.keySet()) {
            String properties = ServiceConfiguration.properties(service);
            boolean deadLetterByDefault = properties.contains(
                    "\nmp.messaging.connector.smallrye-kafka.failure-strategy=dead-letter-queue");
            Matcher channel = topic.matcher(properties);
            while (channel.find()) {
                expected.add(channel.group(2));
                String strategy = "\nmp.messaging.incoming." + channel.group(1) + ".failure-strategy=";
                boolean deadLetter = properties.contains(strategy) ? properties.contains(strategy + "dead-letter-queue")
                        : deadLetterByDefault;
                if (deadLetter) {
                    expected.add("dead-letter-topic-" + channel.group(1));
                }
            }
        }
        assertTrue(expected.size() >= 10, "the topics found " + expected);
        for (String kustomization : KubernetesManifests.KUSTOMIZATIONS) {
            Set<String> declared = raw(kustomization, "KafkaTopic").stream()
                    .peek(t -> assertEquals("nexus-kafka", at(t, "metadata", "labels", "strimzi.io/cluster"), name(t)))
                    .map(t -> (String) at(t, "spec", "topicName")).collect(Collectors.toCollection(TreeSet::new));
            assertEquals(expected, declared, kustomization);
        }
    }

    @Test
    void blueGreenRunsTwoSlotsAndTheGatewayServiceSelectsOne() {
        String overlay = "k8s/overlays/blue-green";
        Set<String> deployments = new TreeSet<>();
        for (Deployment deployment : all(overlay, "Deployment", Deployment.class)) {
            String slot = deployment.getSpec().getSelector().getMatchLabels().get("nexus.io/slot");
            assertEquals(service(deployment) + "-" + slot, deployment.getMetadata().getName());
            assertEquals(slot, deployment.getSpec().getTemplate().getMetadata().getLabels().get("nexus.io/slot"));
            deployments.add(deployment.getMetadata().getName());
        }
        Set<String> expected = new TreeSet<>();
        ServiceConfiguration.PORTS.keySet().forEach(s -> expected.addAll(Set.of(s + "-blue", s + "-green")));
        assertEquals(expected, deployments);
        for (Service service : all(overlay, "Service", Service.class)) {
            String slot = service.getSpec().getSelector().get("nexus.io/slot");
            // The public entry switches; behind it both slots serve (they share databases and topics anyway).
            assertEquals(service.getMetadata().getName().equals("api-gateway"), slot != null, service.getMetadata().getName());
        }
        // The selector patch of the switch names labels the pods have.
        assertTrue(Files.exists(ServiceConfiguration.ROOT.resolve("k8s/overlays/blue-green/live-slot.yaml")));
    }

    @Test
    void theServicesServeTheHealthEndpointsTheProbesHit() throws IOException {
        // SmallRye Health serves /q/health/live|ready|started; every service gets it through nexus-common.
        assertTrue(Files.readString(ServiceConfiguration.ROOT.resolve("common/pom.xml"))
                .contains("<artifactId>quarkus-smallrye-health</artifactId>"));
        for (String service : ServiceConfiguration.PORTS.keySet()) {
            String pom = Files.readString(ServiceConfiguration.ROOT.resolve(service).resolve("pom.xml"));
            assertTrue(pom.contains("<artifactId>nexus-common</artifactId>"), service + " depends on nexus-common");
            assertTrue(!ServiceConfiguration.properties(service).contains("quarkus.smallrye-health.root-path")
                    && !ServiceConfiguration.properties(service).contains("quarkus.http.non-application-root-path")
                    && !ServiceConfiguration.properties(service).contains("quarkus.management.enabled=true"),
                    service + " keeps the health endpoints at /q/health on its HTTP port");
        }
    }

    @Test
    void theReadmeCountsWhatEachKustomizationRenders() throws IOException {
        String readme = Files.readString(ServiceConfiguration.ROOT.resolve("k8s/README.md"));
        for (String kustomization : KubernetesManifests.KUSTOMIZATIONS) {
            Matcher row = Pattern.compile("\\| `" + Pattern.quote(kustomization) + "` \\| (\\d+) \\|").matcher(readme);
            assertTrue(row.find(), "k8s/README.md counts the objects of " + kustomization);
            assertEquals(render(kustomization).size(), Integer.parseInt(row.group(1)), kustomization);
        }
    }

    /** What a container's configuration points at: the services it calls, its database, Redis, Kafka. */
    private static Set<String> dependencies(Container container) {
        Set<String> used = new TreeSet<>();
        for (EnvVar variable : container.getEnv()) {
            String name = variable.getName();
            if (name.endsWith("_SERVICE_URL")) {
                used.add(name.substring(0, name.length() - "_URL".length()).toLowerCase().replace('_', '-'));
            }
            switch (name) {
                case "DB_HOST" -> used.add("postgres");
                case "REDIS_URL" -> used.add("redis");
                case "KAFKA_BOOTSTRAP_SERVERS" -> used.add("kafka");
                default -> {
                }
            }
        }
        return used;
    }

    /** A NetworkPolicy peer as what it designates. */
    private static String peer(NetworkPolicyPeer peer) {
        if (peer.getIpBlock() != null) {
            return "internet:" + peer.getIpBlock().getCidr();
        }
        Map<String, String> pods = peer.getPodSelector() == null ? Map.of() : peer.getPodSelector().getMatchLabels();
        if (peer.getNamespaceSelector() != null) {
            String namespace = peer.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name");
            if ("kube-system".equals(namespace) && "kube-dns".equals(pods.get("k8s-app"))) {
                return "dns";
            }
            return "namespace:" + namespace + (pods.isEmpty() ? "" : "/" + pods.get("app.kubernetes.io/name"));
        }
        if ("nexus-postgres".equals(pods.get("cnpg.io/cluster"))) {
            return "postgres";
        }
        if ("nexus-kafka".equals(pods.get("strimzi.io/cluster"))) {
            return "kafka";
        }
        if ("nexus-redis".equals(pods.get("app.kubernetes.io/name"))) {
            return "redis";
        }
        return pods.getOrDefault("app.kubernetes.io/name", "pods " + pods);
    }

    private static Map<String, String> config(String kustomization) {
        return all(kustomization, "ConfigMap", ConfigMap.class).stream()
                .filter(c -> c.getMetadata().getName().equals("nexus-config")).findFirst().orElseThrow().getData();
    }

    private static String service(Deployment deployment) {
        return deployment.getSpec().getTemplate().getMetadata().getLabels().get("app.kubernetes.io/name");
    }

    private static Container container(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    }
}
