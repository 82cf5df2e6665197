package io.nexus.workflow;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.nexus.common.identity.IdentityTokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

/**
 * session-service's internal API as workflow-service calls it, played by a real HTTP server on 127.0.0.1 and a free
 * port (the URL goes into {@code nexus.workflow.session-service.url}): GET {@code /internal/sessions/{id}} and POST
 * {@code /internal/sessions/{id}/merge} with an RFC 7386 patch, a session scoped by the tenant of the caller's
 * identity (another tenant's is 404, as an unknown one), 413 past 64 KiB of data. It records every request; a test
 * can make a session's calls fail with a status of its choice.
 */
public class FakeSessionService implements QuarkusTestResourceLifecycleManager {

    static final int MAX_DATA_BYTES = 64 * 1024;

    /** A request as it arrived. */
    record Received(String method, String path, String identity, String contentType, String body) {
    }

    private record Session(String tenantId, ObjectNode data) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PATH = Pattern.compile("/internal/sessions/([^/]+)(/merge)?");

    final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private Vertx vertx;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        HttpServer server = await(vertx.createHttpServer()
                .requestHandler(request -> request.body().onSuccess(body -> answer(request, body)))
                .listen(0, "127.0.0.1"));
        return Map.of("nexus.workflow.session-service.url", "http://127.0.0.1:" + server.actualPort());
    }

    @Override
    public void stop() {
        await(vertx.close());
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(this, new TestInjector.MatchesType(FakeSessionService.class));
    }

    void open(String sessionId, String tenantId, String data) throws Exception {
        sessions.put(sessionId, new Session(tenantId, (ObjectNode) JSON.readTree(data)));
    }

    /** The session's data now, or null when there is no such session. */
    JsonNode data(String sessionId) {
        Session session = sessions.get(sessionId);
        return session == null ? null : session.data();
    }

    /** Every call for the session is answered {@code status} from now on. */
    void failWith(String sessionId, int status) {
        failures.put(sessionId, status);
    }

    List<Received> receivedFor(String sessionId) {
        return received.stream().filter(request -> request.path().startsWith("/internal/sessions/" + sessionId))
                .toList();
    }

    private void answer(HttpServerRequest request, Buffer body) {
        String identity = request.getHeader(IdentityTokens.HEADER);
        received.add(new Received(request.method().name(), request.path(), identity,
                request.getHeader("Content-Type"), body.toString()));
        Matcher path = PATH.matcher(request.path());
        if (!path.matches()) {
            problem(request, 404);
            return;
        }
        String sessionId = path.group(1);
        boolean merge = path.group(2) != null;
        String expectedMethod = merge ? "POST" : "GET";
        Integer failure = failures.get(sessionId);
        Session session = sessions.get(sessionId);
        if (failure != null) {
            problem(request, failure);
        } else if (session == null || !session.tenantId().equals(tenantOf(identity))) {
            problem(request, 404);
        } else if (!expectedMethod.equals(request.method().name())) {
            problem(request, 405);
        } else if (!merge) {
            respond(request, sessionId, session);
        } else {
            merge(request, sessionId, session, body);
        }
    }

    private void merge(HttpServerRequest request, String sessionId, Session session, Buffer body) {
        JsonNode patch;
        try {
            patch = JSON.readTree(body.toString());
        } catch (Exception e) {
            patch = null;
        }
        if (patch == null || !patch.isObject()) {
            problem(request, 400);
            return;
        }
        ObjectNode merged = session.data().deepCopy();
        apply(merged, (ObjectNode) patch);
        if (merged.toString().getBytes(StandardCharsets.UTF_8).length > MAX_DATA_BYTES) {
            problem(request, 413);
            return;
        }
        Session updated = new Session(session.tenantId(), merged);
        sessions.put(sessionId, updated);
        respond(request, sessionId, updated);
    }

    /** RFC 7386: a null member deletes, an object merges into an object, anything else replaces. */
    private static void apply(ObjectNode target, ObjectNode patch) {
        patch.properties().forEach(member -> {
            if (member.getValue().isNull()) {
                target.remove(member.getKey());
            } else if (member.getValue().isObject() && target.get(member.getKey()) instanceof ObjectNode inner) {
                apply(inner, (ObjectNode) member.getValue());
            } else if (member.getValue().isObject()) {
                ObjectNode fresh = target.putObject(member.getKey());
                apply(fresh, (ObjectNode) member.getValue());
            } else {
                target.set(member.getKey(), member.getValue());
            }
        });
    }

    private static void respond(HttpServerRequest request, String sessionId, Session session) {
        ObjectNode view = JSON.createObjectNode().put("id", sessionId).put("tenantId", session.tenantId())
                .putNull("userId");
        view.putArray("channels").add("api");
        view.set("data", session.data());
        view.put("createdAt", "2026-01-01T00:00:00Z").put("lastActivity", "2026-01-01T00:00:00Z")
                .put("expiresAt", "2026-01-02T00:00:00Z");
        request.response().putHeader("Content-Type", "application/json").end(view.toString());
    }

    private static void problem(HttpServerRequest request, int status) {
        request.response().setStatusCode(status).putHeader("Content-Type", "application/problem+json")
                .end("{\"status\": " + status + "}");
    }

    /** The tenant the identity claims; checking its signature is the test's business. */
    private static String tenantOf(String identity) {
        if (identity == null || identity.split("\\.").length != 3) {
            return null;
        }
        try {
            byte[] claims = Base64.getUrlDecoder().decode(identity.split("\\.")[1]);
            return JSON.readTree(claims).path("tid").asText(null);
        } catch (Exception e) {
            return null;
        }
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the fake session-service did not start or stop", e);
        }
    }
}
