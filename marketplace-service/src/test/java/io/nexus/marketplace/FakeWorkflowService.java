package io.nexus.marketplace;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.nexus.common.identity.IdentityTokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

/**
 * workflow-service's internal snapshot API as marketplace-service calls it, played by a real HTTP server on 127.0.0.1
 * and a free port (its URL goes into {@code nexus.workflow-service.url}): {@code GET
 * /internal/workflows/{name}/versions/{n|latest}} answers {@code {name, version, definition}} of a workflow of the
 * tenant the forwarded identity names (another tenant's is 404, as an unknown one). Tests register versions, see
 * what arrived, and can make a workflow's calls fail with a status of their choice.
 *
 * <p>Why a Vert.x server rather than WireMock: WireMock is not in the Quarkus BOM (a new dependency and its Jetty for
 * one fake), and the fake must answer per tenant from the identity header, which is a few lines here; the same shape
 * as workflow-service's FakeSessionService and the gateway's FakeServices.
 */
public class FakeWorkflowService implements QuarkusTestResourceLifecycleManager {

    /** A request as it arrived. */
    record Received(String path, String identity) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PATH = Pattern.compile("/internal/workflows/([^/]+)/versions/([^/]+)");

    final List<Received> received = new CopyOnWriteArrayList<>();
    /** tenant/name → definitions, version n at index n − 1. */
    private final Map<String, List<ObjectNode>> workflows = new ConcurrentHashMap<>();
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private Vertx vertx;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        HttpServer server = await(vertx.createHttpServer().requestHandler(this::answer).listen(0, "127.0.0.1"));
        return Map.of("nexus.marketplace.workflow-service.url", "http://127.0.0.1:" + server.actualPort(),
                // Failures are provoked on purpose: keep the breaker from pausing the tests that follow.
                "nexus.marketplace.workflow-service.max-retries", "1");
    }

    @Override
    public void stop() {
        await(vertx.close());
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(this, new TestInjector.MatchesType(FakeWorkflowService.class));
    }

    /** Registers {@code definition} as the next version of the tenant's workflow named in it; that version. */
    int register(String tenant, String definition) {
        try {
            ObjectNode parsed = (ObjectNode) JSON.readTree(definition);
            List<ObjectNode> versions = workflows.computeIfAbsent(tenant + "/" + parsed.get("name").asText(),
                    key -> new CopyOnWriteArrayList<>());
            versions.add(parsed);
            return versions.size();
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Every call for the workflow is answered {@code status} from now on. */
    void failWith(String name, int status) {
        failures.put(name, status);
    }

    List<Received> receivedFor(String name) {
        List<Received> calls = new ArrayList<>();
        received.stream().filter(call -> call.path().startsWith("/internal/workflows/" + name + "/"))
                .forEach(calls::add);
        return calls;
    }

    private void answer(HttpServerRequest request) {
        String identity = request.getHeader(IdentityTokens.HEADER);
        received.add(new Received(request.path(), identity));
        Matcher path = PATH.matcher(request.path());
        if (!path.matches() || !"GET".equals(request.method().name())) {
            problem(request, 404);
            return;
        }
        String name = path.group(1);
        Integer failure = failures.get(name);
        if (failure != null) {
            problem(request, failure);
            return;
        }
        List<ObjectNode> versions = workflows.get(tenantOf(identity) + "/" + name);
        if (versions == null) {
            problem(request, 404);
            return;
        }
        int version;
        try {
            version = path.group(2).equals("latest") ? versions.size() : Integer.parseInt(path.group(2));
        } catch (NumberFormatException e) {
            problem(request, 400);
            return;
        }
        if (version < 1 || version > versions.size()) {
            problem(request, 404);
            return;
        }
        ObjectNode answer = JSON.createObjectNode().put("name", name).put("version", version);
        answer.set("definition", versions.get(version - 1));
        request.response().putHeader("Content-Type", "application/json").end(answer.toString());
    }

    private static void problem(HttpServerRequest request, int status) {
        request.response().setStatusCode(status).putHeader("Content-Type", "application/problem+json")
                .end("{\"status\": " + status + "}");
    }

    /** The tenant the identity claims; its signature is checked by the tests, which sign it. */
    static String tenantOf(String identity) {
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
            throw new IllegalStateException("the fake workflow-service did not start or stop", e);
        }
    }
}
