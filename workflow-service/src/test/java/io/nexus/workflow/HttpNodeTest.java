package io.nexus.workflow;

import static io.nexus.workflow.WorkflowFixtures.developer;
import static io.nexus.workflow.WorkflowFixtures.newTenant;
import static io.nexus.workflow.WorkflowFixtures.register;
import static io.nexus.workflow.WorkflowFixtures.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.nexus.common.identity.IdentityTokens;
import io.nexus.common.testing.CallerSpecs;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** http nodes (docs/api.md §5) calling a real receiver on 127.0.0.1, executions on real PostgreSQL. */
@QuarkusTest
class HttpNodeTest {

    /** What the receiver saw; headers copied because Vert.x recycles them. */
    record Received(String method, String uri, MultiMap headers, String body) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Built from the inputs by a header expression, so it is stored nowhere unless the request headers are. */
    private static final String CREDENTIAL = "alice.k3y";

    private static Vertx vertx;
    private static HttpServer server;
    private static int port;
    private static final Map<String, Handler<HttpServerRequest>> ROUTES = new ConcurrentHashMap<>();
    private static final Map<String, List<Received>> RECEIVED = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> CLOSED = new ConcurrentHashMap<>();

    @Inject
    IdentityTokens tokens;
    @Inject
    Pool pool;

    private CallerSpecs callers;

    @BeforeAll
    static void startReceiver() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(request -> {
            String path = request.path();
            request.connection().closeHandler(closed -> CLOSED.computeIfAbsent(path, p -> new AtomicInteger())
                    .incrementAndGet());
            request.body().onSuccess(body -> {
                RECEIVED.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>()).add(new Received(
                        request.method().name(), request.uri(),
                        MultiMap.caseInsensitiveMultiMap().addAll(request.headers()), body.toString()));
                Handler<HttpServerRequest> route = ROUTES.get(path);
                if (route == null) {
                    request.response().setStatusCode(404).end();
                } else {
                    route.handle(request);
                }
            });
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        port = server.actualPort();
    }

    @AfterAll
    static void stopReceiver() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @BeforeEach
    void setUp() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        callers = new CallerSpecs(tokens);
    }

    @Test
    void getAndPostSendTheEvaluatedUrlHeadersAndBodyAndKeepOnlyTheResponse() throws Exception {
        String base = "/" + unique("orders");
        ROUTES.put(base + "/42", request -> request.response().putHeader("Content-Type", "application/json")
                .putHeader("X-Receiver", "r-1").end("{\"total\": 21}"));
        ROUTES.put(base + "/submit", request -> request.response().setStatusCode(201)
                .putHeader("Content-Type", "application/json").end("{\"accepted\": true}"));
        String tenant = newTenant();
        String name = register(callers, tenant, """
                {"name": "%s",
                 "nodes": [{"id": "fetch", "type": "http", "config": {"method": "GET",
                              "url": "'http://127.0.0.1:' + string(inputs.port) + inputs.base + '/' + string(inputs.order)",
                              "headers": {"Authorization": "'Bearer ' + inputs.user + '.' + inputs.key",
                                          "X-Trace": "'t-' + string(inputs.order)"}}},
                           {"id": "submit", "type": "http", "config": {"method": "POST",
                              "url": "'http://127.0.0.1:' + string(inputs.port) + inputs.base + '/submit'",
                              "headers": {"Authorization": "'Bearer ' + inputs.user + '.' + inputs.key"},
                              "body": "{'order': inputs.order, 'total': nodes.fetch.body.total * 2}"}}],
                 "edges": [{"from": "fetch", "to": "submit"}]}
                """.formatted(unique("http-round-trip")));

        JsonPath result = start(tenant, name, """
                {"inputs": {"port": %d, "base": "%s", "order": 42, "user": "alice", "key": "k3y"}}
                """.formatted(port, base));

        assertEquals("completed", result.getString("status"), result.prettify());
        String id = result.getString("executionId");
        assertEquals(201, result.getInt("outputs.submit.status"));
        assertTrue(result.getBoolean("outputs.submit.body.accepted"));

        Received get = single(base + "/42");
        assertEquals("GET", get.method());
        assertEquals("Bearer " + CREDENTIAL, get.headers().get("Authorization"));
        assertEquals("t-42", get.headers().get("X-Trace"));
        assertEquals(id + ":fetch", get.headers().get("Idempotency-Key"));
        Received post = single(base + "/submit");
        assertEquals("POST", post.method());
        assertEquals(JSON.readTree("{\"order\": 42, \"total\": 42}"), JSON.readTree(post.body()));
        assertEquals("application/json", post.headers().get("Content-Type"));
        assertEquals("Bearer " + CREDENTIAL, post.headers().get("Authorization"));
        assertEquals(id + ":submit", post.headers().get("Idempotency-Key"));

        String stored = callers.as(developer(tenant)).get("/api/v1/executions/" + id).then().statusCode(200)
                .body("steps.node", equalTo(List.of("fetch", "submit")))
                .body("steps.status", equalTo(List.of("completed", "completed")))
                .body("steps[0].output.status", equalTo(200))
                .body("steps[0].output.headers.x-receiver", equalTo("r-1"))
                .body("steps[0].output.body.total", equalTo(21))
                .body("steps[1].output.body.accepted", equalTo(true))
                .extract().asString();
        JsonNode step = JSON.readTree(stored).path("steps").get(0).path("output");
        assertEquals(List.of("body", "headers", "status"), fieldNames(step), "only {status, headers, body}");
        assertFalse(step.path("headers").has("authorization"), "response headers only");
        assertFalse(stored.contains(CREDENTIAL), "the API shows no request header");
        assertFalse(result.prettify().contains(CREDENTIAL), "nor does the start's answer");
        assertEquals(0L, count("SELECT count(*) FROM executions e WHERE e.id = $1::uuid "
                + "AND e::text LIKE '%" + CREDENTIAL + "%'", id), "the execution row keeps no request header");
        assertEquals(2L, count("SELECT count(*) FROM execution_steps s WHERE s.execution_id = $1::uuid", id));
        assertEquals(0L, count("SELECT count(*) FROM execution_steps s WHERE s.execution_id = $1::uuid "
                + "AND s::text LIKE '%" + CREDENTIAL + "%'", id), "the step rows keep no request header");
        assertEquals(0L, count("SELECT count(*) FROM outbox_event o WHERE o.aggregate_id = $1 "
                + "AND o::text LIKE '%" + CREDENTIAL + "%'", id), "nor do the events");
    }

    @Test
    void aFailedAttemptIsRetriedWithTheSameIdempotencyKey() {
        String path = "/" + unique("flaky");
        AtomicInteger calls = new AtomicInteger();
        ROUTES.put(path, request -> {
            if (calls.incrementAndGet() == 1) {
                request.response().setStatusCode(500).end("try again");
            } else {
                request.response().putHeader("Content-Type", "application/json").end("{\"ok\": true}");
            }
        });
        String tenant = newTenant();
        String name = register(callers, tenant, """
                {"name": "%s", "nodes": [{"id": "call", "type": "http", "retry": {"maxAttempts": 2, "backoffMs": 10},
                  "config": {"method": "PUT", "url": %s, "body": "{'n': 1}"}}]}
                """.formatted(unique("http-retry"), WorkflowFixtures.quote(celString(url(path)))));

        JsonPath result = start(tenant, name, "{}");

        assertEquals("completed", result.getString("status"), result.prettify());
        assertTrue(result.getBoolean("outputs.call.body.ok"));
        String id = result.getString("executionId");
        callers.as(developer(tenant)).get("/api/v1/executions/" + id).then().statusCode(200)
                .body("steps[0].status", equalTo("completed"))
                .body("steps[0].attempts", equalTo(2))
                .body("steps[0].output.status", equalTo(200));
        List<Received> received = RECEIVED.get(path);
        assertEquals(2, received.size());
        assertEquals(id + ":call", received.get(0).headers().get("Idempotency-Key"));
        assertEquals(id + ":call", received.get(1).headers().get("Idempotency-Key"));
    }

    @Test
    void a404FailsTheNodeWithCodeHttpAndNoQueryInTheMessage() {
        String path = "/" + unique("missing");
        String tenant = newTenant();
        String name = register(callers, tenant, """
                {"name": "%s", "nodes": [{"id": "lookup", "type": "http",
                  "config": {"method": "GET", "url": %s}}]}
                """.formatted(unique("http-404"), WorkflowFixtures.quote(celString(url(path) + "?token=q-s3cr3t"))));

        JsonPath result = start(tenant, name, "{}");

        assertEquals("failed", result.getString("status"), result.prettify());
        assertEquals("http", result.getString("error.code"));
        assertEquals("lookup", result.getString("error.node"));
        assertEquals("GET " + url(path) + " answered 404", result.getString("error.message"));
        callers.as(developer(tenant)).get("/api/v1/executions/" + result.getString("executionId")).then()
                .statusCode(200)
                .body("steps[0].status", equalTo("failed"))
                .body("steps[0].error.code", equalTo("http"))
                .body("steps[0].output", org.hamcrest.Matchers.nullValue());
        assertEquals(1, RECEIVED.get(path).size());
    }

    @Test
    void onErrorContinueHandsTheStatusFailureToTheNextNode() {
        String path = "/" + unique("busy");
        ROUTES.put(path, request -> request.response().setStatusCode(429).end());
        String tenant = newTenant();
        String name = register(callers, tenant, """
                {"name": "%s",
                 "nodes": [{"id": "call", "type": "http", "onError": "continue",
                            "config": {"method": "DELETE", "url": %s}},
                           {"id": "report", "type": "transform", "config": {"expression": "nodes.call.error.code"}}],
                 "edges": [{"from": "call", "to": "report"}]}
                """.formatted(unique("http-continue"), WorkflowFixtures.quote(celString(url(path)))));

        JsonPath result = start(tenant, name, "{}");

        assertEquals("completed", result.getString("status"), result.prettify());
        assertEquals("http", result.getString("outputs.report"));
    }

    @Test
    void aReceiverThatNeverAnswersIsCutAtTheNodeTimeout() {
        String path = "/" + unique("hang");
        ROUTES.put(path, request -> { });
        String tenant = newTenant();
        String name = register(callers, tenant, """
                {"name": "%s", "nodes": [{"id": "call", "type": "http", "timeoutMs": 500,
                  "config": {"method": "GET", "url": %s, "timeoutMs": 30000}}]}
                """.formatted(unique("http-hang"), WorkflowFixtures.quote(celString(url(path)))));

        long began = System.nanoTime();
        JsonPath result = start(tenant, name, "{}");
        long tookMs = (System.nanoTime() - began) / 1_000_000;

        assertEquals("failed", result.getString("status"), result.prettify());
        assertEquals("timeout", result.getString("error.code"));
        assertEquals("call", result.getString("error.node"));
        assertTrue(tookMs >= 450 && tookMs < 10_000, "cut at the node's 500 ms, took " + tookMs + " ms");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> closed(path) >= 1);
    }

    @Test
    void theExecutionDeadlineEndsItWhileACallIsInFlightAndCutsTheCall() {
        String path = "/" + unique("deadline");
        ROUTES.put(path, request -> { });
        String tenant = newTenant();
        String name = register(callers, tenant, """
                {"name": "%s", "nodes": [{"id": "call", "type": "http",
                  "config": {"method": "GET", "url": %s}}]}
                """.formatted(unique("http-deadline"), WorkflowFixtures.quote(celString(url(path)))));

        JsonPath result = start(tenant, name, "{\"timeoutMs\": 600}");

        assertEquals("failed", result.getString("status"), result.prettify());
        assertEquals("timeout", result.getString("error.code"));
        assertNull(result.getString("error.node"), "the execution's deadline, not the node's");
        assertTrue(result.getLong("durationMs") < 5_000, "not the client's 30 s maximum");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> closed(path) >= 1);
        callers.as(developer(tenant)).get("/api/v1/executions/" + result.getString("executionId")).then()
                .statusCode(200).body("steps[0].status", equalTo("cancelled"));
    }

    @Test
    void cancellingAnExecutionCutsItsCall() {
        String path = "/" + unique("cancel");
        ROUTES.put(path, request -> { });
        String tenant = newTenant();
        String name = register(callers, tenant, """
                {"name": "%s", "nodes": [{"id": "call", "type": "http",
                  "config": {"method": "GET", "url": %s}}]}
                """.formatted(unique("http-cancel"), WorkflowFixtures.quote(celString(url(path)))));
        String id = callers.as(developer(tenant)).body("{\"mode\": \"async\"}")
                .post("/api/v1/workflows/" + name + "/executions").then().statusCode(202)
                .extract().path("executionId");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> RECEIVED.containsKey(path));
        assertEquals(0, closed(path));

        callers.as(developer(tenant)).post("/api/v1/executions/" + id + "/cancel").then()
                .statusCode(200).body("status", equalTo("cancelled"));

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> closed(path) >= 1);
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** A CEL string literal. */
    private static String celString(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static int closed(String path) {
        AtomicInteger closed = CLOSED.get(path);
        return closed == null ? 0 : closed.get();
    }

    private static Received single(String path) {
        List<Received> received = RECEIVED.get(path);
        assertEquals(1, received == null ? 0 : received.size(), "requests to " + path);
        return received.get(0);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        names.sort(null);
        return names;
    }

    private JsonPath start(String tenant, String name, String body) {
        return callers.as(developer(tenant)).body(body).post("/api/v1/workflows/" + name + "/executions").then()
                .statusCode(200).extract().jsonPath();
    }

    private long count(String sql, String parameter) {
        return pool.preparedQuery(sql).execute(Tuple.of(parameter)).await().atMost(Duration.ofSeconds(5))
                .iterator().next().getLong(0);
    }
}
