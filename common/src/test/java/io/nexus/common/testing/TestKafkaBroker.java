package io.nexus.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real Kafka broker (KRaft, single node) owned by one test run: its own ports and data directory, so that a test can
 * stop it and start it again to simulate an outage without touching the broker a running stack uses. It runs the jars
 * {@code scripts/nexus-local} fetched from Maven Central ({@code NEXUS_KAFKA_LIBS}, or the default cache).
 */
public class TestKafkaBroker implements QuarkusTestResourceLifecycleManager {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private static Path directory;
    private static Path properties;
    private static int port;
    private static Process process;

    @Override
    public Map<String, String> start() {
        try {
            Path libs = libs();
            directory = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "test-kafka-");
            port = freePort();
            int controllerPort = freePort();
            properties = directory.resolve("server.properties");
            Files.writeString(properties, String.join("\n",
                    "process.roles=broker,controller", "node.id=1",
                    "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                    "controller.listener.names=CONTROLLER",
                    "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                    "log.dirs=" + directory.resolve("data"),
                    "num.partitions=3", "offsets.topic.replication.factor=1", "offsets.topic.num.partitions=3",
                    "transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1",
                    "group.initial.rebalance.delay.ms=0", "log.cleaner.dedupe.buffer.size=8388608", ""));
            run(List.of(java(), "-cp", libs + "/*", "kafka.tools.StorageTool", "format", "-t",
                    clusterId(), "-c", properties.toString(),
                    "--ignore-formatted"), directory.resolve("format.log"));
            startBroker();
            return Map.of("kafka.bootstrap.servers", bootstrapServers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        stopBroker();
    }

    public static String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Stops the broker the way an outage would, keeping its data for {@link #startBroker()}. */
    public static synchronized void stopBroker() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        process = null;
    }

    public static synchronized void startBroker() {
        try {
            Path log = directory.resolve("broker-" + Instant.now().toEpochMilli() + ".log");
            process = new ProcessBuilder(java(), "-Xms64m", "-Xmx192m", "-cp", libs() + "/*", "kafka.Kafka",
                    properties.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            Process started = process;
            Awaitility.await("the test Kafka broker to start (log: " + log + ")")
                    .atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        if (!started.isAlive()) {
                            throw new IllegalStateException("the test Kafka broker exited; see " + log);
                        }
                        return Files.readString(log).contains("Kafka Server started");
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path libs() {
        String configured = System.getenv("NEXUS_KAFKA_LIBS");
        Path libs;
        if (configured != null && !configured.isBlank()) {
            libs = Path.of(configured);
        } else {
            String cache = System.getenv("NEXUS_CACHE_DIR");
            libs = (cache != null ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache", "nexus"))
                    .resolve("kafka-4.1.2").resolve("libs");
        }
        if (!Files.isDirectory(libs)) {
            throw new IllegalStateException("no Kafka broker jars at " + libs
                    + ": run the tests through scripts/nexus-local test, which fetches them");
        }
        return libs;
    }

    /** A KRaft cluster id: 16 random bytes, URL-safe base64 without padding. */
    private static String clusterId() {
        UUID uuid = UUID.randomUUID();
        ByteBuffer bytes = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void run(List<String> command, Path log) throws IOException {
        Process step = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!step.waitFor(60, TimeUnit.SECONDS) || step.exitValue() != 0) {
                throw new IllegalStateException("'" + String.join(" ", command) + "' failed; see " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
