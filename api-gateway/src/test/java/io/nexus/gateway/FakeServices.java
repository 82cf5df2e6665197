package io.nexus.gateway;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.microprofile.config.ConfigProvider;

import io.nexus.common.identity.CallerIdentity;
import io.nexus.common.identity.IdentityTokens;
import io.nexus.common.identity.InvalidIdentityException;
import io.nexus.common.testing.TestIdentities;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * Real HTTP servers on free ports standing in for the four services behind the gateway, so that the gateway's own
 * behaviour can be driven through every case: readiness in a chosen state, key resolution from a table the test fills,
 * and an echo of every proxied request (with knobs for status, delay, hanging, absolute Location, SSE). The running
 * stack's suites cover the real services.
 */
@QuarkusTestResource(value = FakeServices.class)
public class FakeServices implements QuarkusTestResourceLifecycleManager {

    public enum State { READY, KAFKA_DOWN, DATABASE_DOWN, HANGS, CLOSES_CONNECTION }

    public static final List<String> NAMES = List.of("tenant-service", "workflow-service", "session-service",
            "marketplace-service");

    private static final Map<String, State> STATES = new ConcurrentHashMap<>();
    /** SHA-256 (hex) of a key → what tenant-service would answer for it. */
    public static final Map<String, JsonObject> KEYS = new ConcurrentHashMap<>();
    public static final AtomicInteger RESOLUTIONS = new AtomicInteger();
    /** Services whose proxied endpoints close the connection instead of answering. */
    public static final Map<String, Boolean> UNREACHABLE = new ConcurrentHashMap<>();
    /** X-Request-Id of every request a service received through the gateway's proxy. */
    public static final Set<String> PROXIED = ConcurrentHashMap.newKeySet();
    /** X-Request-Id of every proxied request whose connection the gateway closed before the service answered. */
    public static final Set<String> CLOSED_BEFORE_ANSWER = ConcurrentHashMap.newKeySet();
    /** X-Request-Id of every proxied request whose headers arrived (before its body did, if it has one). */
    public static final Set<String> STARTED = ConcurrentHashMap.newKeySet();
    /** Connections the gateway opened to each fake service: a pooled keep-alive proxy opens few. */
    public static final Map<String, AtomicInteger> CONNECTIONS = new ConcurrentHashMap<>();
    /** Session id → the status session-service answers when asked to restore it (404 when absent; 0: never answers). */
    public static final Map<String, Integer> RESTORE_ANSWERS = new ConcurrentHashMap<>();
    /** Session id → what session-service received when asked to restore it (method, identity, requestId, bodyBytes). */
    public static final Map<String, JsonObject> RESTORE_CALLS = new ConcurrentHashMap<>();
    public static final int NEVER_ANSWERS = 0;

    private Vertx vertx;

    /** Verifies {@code token} as the service named {@code service} does: the internal key, its own name as audience. */
    public static CallerIdentity verifyAs(String service, String token) {
        String key = ConfigProvider.getConfig().getValue("nexus.identity.key", String.class);
        return new IdentityTokens(TestIdentities.config(key, 60, service)).verify(token);
    }

    public static void set(String service, State state) {
        STATES.put(service, state);
    }

    public static void allReady() {
        NAMES.forEach(name -> STATES.put(name, State.READY));
        UNREACHABLE.clear();
    }

    @Override
    public Map<String, String> start() {
        allReady();
        vertx = Vertx.vertx();
        Map<String, String> config = new HashMap<>();
        for (String name : NAMES) {
            HttpServer server = vertx.createHttpServer().requestHandler(request -> handle(name, request))
                    .connectionHandler(connection -> CONNECTIONS.computeIfAbsent(name, n -> new AtomicInteger())
                            .incrementAndGet());
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

    private void handle(String service, HttpServerRequest request) {
        String path = request.path();
        if (path.equals("/q/health/ready")) {
            readiness(service, request);
        } else if (path.equals("/internal/api-keys/resolve")) {
            request.body().onSuccess(body -> resolve(request, body));
        } else if (service.equals("session-service") && path.startsWith("/internal/sessions/")
                && path.endsWith("/touch")) {
            request.body().onSuccess(body -> restoreSession(request, body));
        } else if (UNREACHABLE.getOrDefault(service, false)) {
            request.connection().close();
        } else {
            String requestId = request.getHeader("X-Request-Id");
            if (requestId != null) {
                STARTED.add(requestId);
                request.response().closeHandler(closed -> {
                    if (!request.response().ended()) {
                        CLOSED_BEFORE_ANSWER.add(requestId);
                    }
                });
            }
            if (path.endsWith("/events")) {
                serverSentEvents(request);
            } else {
                request.body().onSuccess(body -> echo(service, request, body));
            }
        }
    }

    private static void readiness(String service, HttpServerRequest request) {
        switch (STATES.get(service)) {
            case READY -> request.response().setStatusCode(200).end(readiness("UP", "UP", "up"));
            case KAFKA_DOWN -> request.response().setStatusCode(200).end(readiness("UP", "UP", "degraded"));
            case DATABASE_DOWN -> request.response().setStatusCode(503).end(readiness("DOWN", "DOWN", "up"));
            case HANGS -> { /* never answers */ }
            case CLOSES_CONNECTION -> request.connection().close();
        }
    }

    private static void resolve(HttpServerRequest request, Buffer body) {
        RESOLUTIONS.incrementAndGet();
        try {
            verifyAs("tenant-service", request.getHeader(IdentityTokens.HEADER));
        } catch (InvalidIdentityException e) {
            request.response().setStatusCode(401).end(); // as tenant-service's IdentityFilter would
            return;
        }
        JsonObject known = KEYS.get(body.toJsonObject().getString("sha256"));
        if (known == null) {
            request.response().setStatusCode(404).end();
        } else {
            request.response().setStatusCode(200).putHeader("Content-Type", "application/json").end(known.encode());
        }
    }

    /** session-service's {@code POST /internal/sessions/{id}/touch}: records the call, answers as the test set up. */
    private static void restoreSession(HttpServerRequest request, Buffer body) {
        String id = request.path().substring("/internal/sessions/".length(), request.path().length() - "/touch".length());
        RESTORE_CALLS.put(id, new JsonObject()
                .put("method", request.method().name())
                .put("identity", request.getHeader("X-Nexus-Identity"))
                .put("requestId", request.getHeader("X-Request-Id"))
                .put("bodyBytes", body.length()));
        int status = RESTORE_ANSWERS.getOrDefault(id, 404);
        if (status != NEVER_ANSWERS) {
            request.response().setStatusCode(status).end();
        }
    }

    private void echo(String service, HttpServerRequest request, Buffer body) {
        if (request.getHeader("X-Request-Id") != null) {
            PROXIED.add(request.getHeader("X-Request-Id"));
        }
        if ("true".equals(request.getHeader("X-Test-Hang"))) {
            return;
        }
        JsonObject headers = new JsonObject();
        request.headers().forEach(header -> headers.put(header.getKey().toLowerCase(), header.getValue()));
        JsonObject echo = new JsonObject()
                .put("service", service)
                .put("method", request.method().name())
                .put("uri", request.uri())
                .put("headers", headers)
                .put("bodyBytes", body.length());
        int status = Integer.parseInt(request.getHeader("X-Test-Status") == null ? "200"
                : request.getHeader("X-Test-Status"));
        long delay = Long.parseLong(request.getHeader("X-Test-Delay-Ms") == null ? "0"
                : request.getHeader("X-Test-Delay-Ms"));
        Runnable answer = () -> {
            var response = request.response().setStatusCode(status).putHeader("Content-Type", "application/json");
            if (request.getHeader("X-Test-Location") != null) {
                response.putHeader("Location", "http://" + request.authority() + request.getHeader("X-Test-Location"));
            }
            response.end(echo.encode());
        };
        if (delay > 0) {
            vertx.setTimer(delay, id -> answer.run());
        } else {
            answer.run();
        }
    }

    /**
     * Three events 300 ms apart, so that a client can tell streaming from buffering; with {@code X-Test-Endless}, an
     * event every 200 ms until the connection closes.
     */
    private void serverSentEvents(HttpServerRequest request) {
        var response = request.response().setChunked(true).putHeader("Content-Type", "text/event-stream");
        if ("true".equals(request.getHeader("X-Test-Endless"))) {
            vertx.setPeriodic(1, 200, id -> {
                if (response.closed()) {
                    vertx.cancelTimer(id);
                } else {
                    response.write("event: tick\ndata: {}\n\n");
                }
            });
            return;
        }
        for (int i = 1; i <= 3; i++) {
            int event = i;
            vertx.setTimer(300L * (i - 1) + 1, id -> {
                response.write("event: step\ndata: {\"n\": " + event + "}\n\n");
                if (event == 3) {
                    response.end();
                }
            });
        }
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
