package io.nexus.gateway;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

/**
 * Real HTTP servers on free ports that answer {@code /q/health/ready} the way a Nexus service does, in a state each
 * test chooses, so the gateway's aggregation can be driven through every case (the running stack's smoke test covers
 * the real services).
 */
@QuarkusTestResource(value = FakeServices.class)
public class FakeServices implements QuarkusTestResourceLifecycleManager {

    public enum State { READY, KAFKA_DOWN, DATABASE_DOWN, HANGS, CLOSES_CONNECTION }

    public static final List<String> NAMES = List.of("tenant-service", "workflow-service", "session-service",
            "marketplace-service");

    private static final Map<String, State> STATES = new ConcurrentHashMap<>();

    private Vertx vertx;

    public static void set(String service, State state) {
        STATES.put(service, state);
    }

    public static void allReady() {
        NAMES.forEach(name -> STATES.put(name, State.READY));
    }

    @Override
    public Map<String, String> start() {
        allReady();
        vertx = Vertx.vertx();
        Map<String, String> config = new HashMap<>();
        for (String name : NAMES) {
            HttpServer server = vertx.createHttpServer().requestHandler(request -> {
                switch (STATES.get(name)) {
                    case READY -> request.response().setStatusCode(200).end(readiness("UP", "UP", "up"));
                    case KAFKA_DOWN -> request.response().setStatusCode(200).end(readiness("UP", "UP", "degraded"));
                    case DATABASE_DOWN -> request.response().setStatusCode(503).end(readiness("DOWN", "DOWN", "up"));
                    case HANGS -> { /* never answers */ }
                    case CLOSES_CONNECTION -> request.connection().close();
                }
            });
            int port;
            try {
                port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture()
                        .get(10, TimeUnit.SECONDS).actualPort();
            } catch (Exception e) {
                throw new IllegalStateException("could not start fake " + name, e);
            }
            config.put("nexus.gateway.services." + name + ".url", "http://127.0.0.1:" + port);
        }
        config.put("nexus.gateway.health-timeout", "500ms");
        return config;
    }

    private static String readiness(String status, String database, String kafka) {
        return """
                {"status": "%s", "checks": [
                  {"name": "Reactive PostgreSQL connections health check", "status": "%s", "data": {"<default>": "%s"}},
                  {"name": "Database connections health check", "status": "UP", "data": {"<default>": "UP"}},
                  {"name": "kafka", "status": "UP", "data": {"kafka": "%s"}}]}
                """.formatted(status, database, database, kafka);
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close();
        }
    }
}
