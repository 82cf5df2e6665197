package io.nexus.workflow.engine.http;

import static io.nexus.workflow.engine.http.Calls.failure;
import static io.nexus.workflow.engine.http.Calls.get;
import static io.nexus.workflow.engine.http.Calls.result;
import static io.nexus.workflow.engine.http.Calls.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Round trips against a real local server, private targets allowed as in tests. */
class SafeHttpClientExchangeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Vertx vertx;
    private LocalServer server;
    private SafeHttpClient client;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        LocalServer.await(vertx.close());
    }

    @BeforeEach
    void start() {
        server = LocalServer.start(vertx);
        client = new SafeHttpClient(vertx, OutboundPolicy.defaults().withAllowPrivateTargets(true),
                AddressResolver.system(vertx));
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void getsAndParsesJson() throws Exception {
        server.route("/orders/7", request -> request.response()
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader("X-Request-ID", "r-1")
                .putHeader("X-Multi", (Iterable<String>) java.util.List.of("first", "second"))
                .putHeader("Set-Cookie", "session=abc")
                .end("{\"id\":7,\"items\":[1,2],\"ok\":true}"));

        HttpCallResult result = result(client.call(get(server.url("/orders/7?expand=items#frag"))));

        assertEquals(200, result.status());
        assertEquals(JSON.readTree("{\"id\":7,\"items\":[1,2],\"ok\":true}"), result.body());
        assertEquals("r-1", result.headers().get("x-request-id"));
        assertEquals("first", result.headers().get("x-multi"));
        assertEquals("application/json; charset=utf-8", result.headers().get("content-type"));
        assertFalse(result.headers().containsKey("set-cookie"));
        assertTrue(result.headers().keySet().stream().allMatch(name -> name.equals(name.toLowerCase())));
        assertEquals("/orders/7?expand=items", server.requests.get(0).uri(), "the fragment is not sent");
    }

    @Test
    void postsJsonWithCallerHeadersIdempotencyKeyAndUserAgent() throws Exception {
        server.route("/echo", request -> request.response().setStatusCode(201)
                .putHeader("Content-Type", "application/vnd.api+json")
                .end(server.requests.get(0).body()));
        JsonNode body = JSON.readTree("{\"name\":\"widget\",\"qty\":3}");

        HttpCallResult result = result(client.call(spec("post", server.url("/echo"),
                Map.of("X-Api-Key", "k-123", "User-Agent", "spoofed", "Idempotency-Key", "spoofed"), body)));

        assertEquals(201, result.status());
        assertEquals(body, result.body());
        LocalServer.Received received = server.requests.get(0);
        assertEquals("POST", received.method());
        assertEquals("application/json", received.headers().get("Content-Type"));
        assertEquals("k-123", received.headers().get("X-Api-Key"));
        assertEquals("exec-1:node-a", received.headers().get("Idempotency-Key"));
        assertEquals("nexus-workflow", received.headers().get("User-Agent"));
        assertEquals("127.0.0.1:" + server.port, received.headers().get("Host"));
    }

    @Test
    void keepsACallerContentType() throws Exception {
        server.route("/echo", request -> request.response().end());

        result(client.call(spec("PUT", server.url("/echo"), Map.of("Content-Type", "application/merge-patch+json"),
                JSON.readTree("{\"a\":1}"))));

        assertEquals("application/merge-patch+json", server.requests.get(0).headers().get("Content-Type"));
    }

    @Test
    void returnsTextAsAJsonString() {
        server.route("/text", request -> request.response()
                .putHeader("Content-Type", "text/plain; charset=ISO-8859-1")
                .end(io.vertx.core.buffer.Buffer.buffer(new byte[] {'c', 'a', 'f', (byte) 0xe9})));

        HttpCallResult result = result(client.call(get(server.url("/text"))));

        assertEquals(TextNode.valueOf("café"), result.body());
    }

    @Test
    void returnsMislabelledJsonAsText() {
        server.route("/broken", request -> request.response()
                .putHeader("Content-Type", "application/json").end("{not json"));

        assertEquals(TextNode.valueOf("{not json"), result(client.call(get(server.url("/broken")))).body());
    }

    @Test
    void returnsNullForAnEmptyBody() {
        server.route("/empty", request -> request.response().setStatusCode(204).end());
        server.route("/empty-json", request -> request.response()
                .putHeader("Content-Type", "application/json").end());

        HttpCallResult noContent = result(client.call(get(server.url("/empty"))));
        HttpCallResult emptyJson = result(client.call(get(server.url("/empty-json"))));

        assertEquals(204, noContent.status());
        assertNull(noContent.body());
        assertNull(emptyJson.body());
    }

    @Test
    void returnsErrorStatusesAsResults() {
        server.route("/missing", request -> request.response().setStatusCode(404)
                .putHeader("Content-Type", "application/problem+json").end("{\"title\":\"not found\"}"));

        HttpCallResult result = result(client.call(get(server.url("/missing"))));

        assertEquals(404, result.status());
        assertEquals("not found", result.body().get("title").asText());
    }

    @Test
    void omitsTheIdempotencyKeyWhenThereIsNone() {
        server.route("/", request -> request.response().end());

        result(client.call(new HttpCallSpec("GET", server.url("/"), null, null, null, null)));

        assertNull(server.requests.get(0).headers().get("Idempotency-Key"));
    }

    @Test
    void reachesAnIpv6LiteralWithABracketedHostHeader() {
        LocalServer v6;
        try {
            v6 = LocalServer.start(vertx, new io.vertx.core.http.HttpServerOptions(), "::1");
        } catch (IllegalStateException e) {
            org.junit.jupiter.api.Assumptions.abort("no IPv6 loopback here: " + e.getMessage());
            return;
        }
        v6.route("/", request -> request.response().end("v6"));
        try {
            HttpCallResult result = result(client.call(get("http://[::1]:" + v6.port + "/")));

            assertEquals(TextNode.valueOf("v6"), result.body());
            assertEquals("[::1]:" + v6.port, v6.requests.get(0).headers().get("Host"));
        } finally {
            v6.close();
        }
    }

    @Test
    void completesEverySmallResponseOnAKeptAliveConnection() {
        // Regression: requests issued off a Vert.x context sometimes lost the end of a small response and hung.
        server.route("/empty", request -> request.response().setStatusCode(204).end());
        server.route("/small", request -> request.response().end("x"));
        for (int i = 0; i < 300; i++) {
            String path = i % 2 == 0 ? "/empty" : "/small";
            HttpCallResult result = result(client.call(new HttpCallSpec("GET", server.url(path), Map.of(), null,
                    java.time.Duration.ofSeconds(3), null)));
            assertEquals(i % 2 == 0 ? 204 : 200, result.status(), "call " + i);
        }
        assertTrue(server.connections.get() < 10, "connections are reused: " + server.connections.get());
    }

    @Test
    void reportsARefusedConnectionAsAnHttpFailure() {
        int closedPort = server.port;
        server.close();

        HttpCallFailure failure = failure(client.call(get("http://127.0.0.1:" + closedPort + "/")));

        assertEquals(HttpCallFailure.HTTP, failure.code());
    }

    @Test
    void refusesLoopbackOnceNoLongerAllowed() {
        SafeHttpClient strict = new SafeHttpClient(vertx, OutboundPolicy.defaults(), AddressResolver.system(vertx));
        try {
            assertEquals(HttpCallFailure.FORBIDDEN_TARGET, failure(strict.call(get(server.url("/")))).code());
        } finally {
            strict.close();
        }
    }

    @Test
    void connectsToTheCheckedAddressAndNeverResolvesTheNameAgain() {
        // rebind.test answers 127.0.0.1 first and an internal address afterwards, like a rebinding attacker; no
        // real resolver knows the name, so the call can only succeed by connecting to the address that was checked.
        FakeResolver rebinding = new FakeResolver()
                .answer("rebind.test", "127.0.0.1")
                .answer("rebind.test", "10.0.0.1");
        SafeHttpClient pinned = new SafeHttpClient(vertx, OutboundPolicy.defaults(), rebinding,
                Calls.loopbackServerIsPublic(), new HttpClientOptions());
        server.route("/", request -> request.response().end("pinned"));
        try {
            HttpCallResult result = result(pinned.call(get("http://rebind.test:" + server.port + "/")));

            assertEquals(TextNode.valueOf("pinned"), result.body());
            assertEquals(java.util.List.of("rebind.test"), rebinding.lookups);
            assertEquals("rebind.test:" + server.port, server.requests.get(0).headers().get("Host"));
        } finally {
            pinned.close();
        }
    }
}
