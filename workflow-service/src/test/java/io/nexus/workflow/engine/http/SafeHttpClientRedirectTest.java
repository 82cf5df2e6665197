package io.nexus.workflow.engine.http;

import static io.nexus.workflow.engine.http.Calls.failure;
import static io.nexus.workflow.engine.http.Calls.result;
import static io.nexus.workflow.engine.http.Calls.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Redirects followed hop by hop. The local server plays a public host: {@code public.test} and {@code other.test}
 * resolve to 127.0.0.1, which {@link Calls#loopbackServerIsPublic()} lets through while every other address is
 * judged by the production rule without private targets, so redirects to internal addresses are really refused.
 */
class SafeHttpClientRedirectTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Vertx vertx;
    private LocalServer server;
    private FakeResolver resolver;
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
        resolver = new FakeResolver()
                .answer("public.test", "127.0.0.1")
                .answer("other.test", "127.0.0.1")
                .answer("internal.test", "10.0.0.5")
                .answer("sneaky.test", "127.0.0.1", "192.168.0.10");
        client = client(OutboundPolicy.defaults());
    }

    private SafeHttpClient client(OutboundPolicy policy) {
        return new SafeHttpClient(vertx, policy, resolver, Calls.loopbackServerIsPublic(), new HttpClientOptions());
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private String url(String host, String path) {
        return "http://" + host + ":" + server.port + path;
    }

    private void redirect(String path, int status, String location) {
        server.route(path, request -> request.response().setStatusCode(status).putHeader("Location", location).end());
    }

    @Test
    void followsAChainResolvingAndCheckingEveryHop() {
        redirect("/start", 302, "/second");
        redirect("/second", 301, url("other.test", "/third"));
        redirect("/third", 308, "//public.test:" + server.port + "/final?x=1");
        server.route("/final", request -> request.response().end("arrived"));

        HttpCallResult result = result(client.call(spec("GET", url("public.test", "/start"), Map.of(), null)));

        assertEquals(200, result.status());
        assertEquals(TextNode.valueOf("arrived"), result.body());
        assertEquals(List.of("public.test", "public.test", "other.test", "public.test"), resolver.lookups);
        assertEquals(List.of("/start", "/second", "/third", "/final?x=1"),
                server.requests.stream().map(LocalServer.Received::uri).toList());
        assertTrue(server.requests.stream().allMatch(r -> "exec-1:node-a".equals(r.headers().get("Idempotency-Key"))));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:PORT/final",
        "http://[::ffff:169.254.169.254]/latest/meta-data/",
        "http://2130706434:PORT/final",
        "http://internal.test:PORT/final",
        "http://sneaky.test:PORT/final",
        "http://0.0.0.0:PORT/final",
        "file:///etc/passwd",
        "gopher://public.test/"})
    void refusesARedirectToAForbiddenTarget(String location) {
        redirect("/start", 302, location.replace("PORT", Integer.toString(server.port)));
        server.route("/final", request -> request.response().end("must not be reached"));

        HttpCallFailure failure = failure(client.call(spec("GET", url("public.test", "/start"), Map.of(), null)));

        assertEquals(HttpCallFailure.FORBIDDEN_TARGET, failure.code(), failure.getMessage());
        assertEquals("forbidden target", failure.getMessage());
        assertEquals(List.of("/start"), server.requests.stream().map(LocalServer.Received::uri).toList());
    }

    @Test
    void turnsAPostIntoAGetOn303() throws Exception {
        redirect("/submit", 303, "/status");
        server.route("/status", request -> request.response().end("done"));

        result(client.call(spec("POST", url("public.test", "/submit"), Map.of(), JSON.readTree("{\"a\":1}"))));

        LocalServer.Received second = server.requests.get(1);
        assertEquals("GET", second.method());
        assertEquals("", second.body());
        assertNull(second.headers().get("Content-Type"));
    }

    @Test
    void keepsMethodAndBodyOn307() throws Exception {
        redirect("/submit", 307, "/v2/submit");
        server.route("/v2/submit", request -> request.response().end("stored"));

        result(client.call(spec("PUT", url("public.test", "/submit"), Map.of(), JSON.readTree("{\"a\":1}"))));

        LocalServer.Received second = server.requests.get(1);
        assertEquals("PUT", second.method());
        assertEquals("{\"a\":1}", second.body());
    }

    @Test
    void dropsCallerHeadersWhenLeavingTheOrigin() {
        redirect("/start", 302, "/same-origin");
        redirect("/same-origin", 302, url("other.test", "/elsewhere"));
        server.route("/elsewhere", request -> request.response().end());

        result(client.call(spec("GET", url("public.test", "/start"), Map.of("Authorization", "Bearer t"), null)));

        List<String> authorizations = server.requests.stream().map(r -> r.headers().get("Authorization")).toList();
        assertEquals(java.util.Arrays.asList("Bearer t", "Bearer t", null), authorizations);
        assertEquals("exec-1:node-a", server.requests.get(2).headers().get("Idempotency-Key"));
    }

    @Test
    void returnsTheRedirectWhenRedirectsAreOff() {
        redirect("/start", 302, "http://169.254.169.254/");
        SafeHttpClient noRedirects = client(OutboundPolicy.defaults().withMaxRedirects(0));
        try {
            HttpCallResult result = result(noRedirects.call(spec("GET", url("public.test", "/start"), Map.of(), null)));

            assertEquals(302, result.status());
            assertEquals("http://169.254.169.254/", result.headers().get("location"));
            assertEquals(1, server.requests.size());
        } finally {
            noRedirects.close();
        }
    }

    @Test
    void stopsAfterTheMaximumNumberOfRedirects() {
        redirect("/loop", 302, "/loop");

        HttpCallFailure failure = failure(client.call(spec("GET", url("public.test", "/loop"), Map.of(), null)));

        assertEquals(HttpCallFailure.LIMIT, failure.code());
        assertEquals(OutboundPolicy.DEFAULT_MAX_REDIRECTS + 1, server.requests.size());
    }

    @Test
    void reportsAnInvalidLocationAsAnHttpFailure() {
        redirect("/start", 302, "http://bad host/");

        HttpCallFailure failure = failure(client.call(spec("GET", url("public.test", "/start"), Map.of(), null)));

        assertEquals(HttpCallFailure.HTTP, failure.code());
    }
}
