package io.nexus.workflow.engine.http;

import static io.nexus.workflow.engine.http.Calls.failure;
import static io.nexus.workflow.engine.http.Calls.get;
import static io.nexus.workflow.engine.http.Calls.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Targets refused before any connection: SSRF rules with private targets disallowed, and malformed requests. */
class SafeHttpClientTargetTest {

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
        server = LocalServer.start(vertx).route("/", request -> request.response().end("reached"));
        resolver = new FakeResolver()
                .answer("intranet.test", "10.0.0.5")
                .answer("metadata.test", "169.254.169.254")
                .answer("mixed.test", "93.184.216.34", "127.0.0.1")
                .answer("mapped.test", "::ffff:127.0.0.1")
                .answer("v6loop.test", "::1");
        AddressResolver system = AddressResolver.system(vertx);
        // .test names come from the table, everything else (localhost) from the JVM resolver.
        AddressResolver combined = host -> host.endsWith(".test") ? resolver.resolve(host) : system.resolve(host);
        client = new SafeHttpClient(vertx, OutboundPolicy.defaults(), combined);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "http://127.0.0.1:PORT/",
        "http://127.1.2.3:PORT/",
        "http://localhost:PORT/",
        "http://2130706433:PORT/",
        "http://0x7f000001:PORT/",
        "http://0177.0.0.1:PORT/",
        "http://[::ffff:127.0.0.1]:PORT/",
        "http://[::ffff:7f00:1]:PORT/",
        "http://[::1]:PORT/",
        "http://[0:0:0:0:0:0:0:1]:PORT/",
        "http://0.0.0.0:PORT/",
        "http://0:PORT/",
        "http://[::]:PORT/",
        "https://127.0.0.1:PORT/",
        "http://intranet.test:PORT/",
        "http://metadata.test:PORT/",
        "http://mixed.test:PORT/",
        "http://mapped.test:PORT/",
        "http://v6loop.test:PORT/"})
    void refusesInternalTargetsWithoutConnecting(String url) {
        HttpCallFailure failure = failure(client.call(get(url.replace("PORT", Integer.toString(server.port)))));

        assertEquals(HttpCallFailure.FORBIDDEN_TARGET, failure.code(), failure.getMessage());
        assertEquals(0, server.connections.get(), "the local server must not see a connection");
        assertTrue(server.requests.isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.1:PORT/", "http://0x7f.1:PORT/", "http://127.0.0.1.:PORT/"})
    void rejectsShortIpv4FormsThatJavaNetUriDoesNotAcceptAsHosts(String url) {
        // Browsers read these as 127.0.0.1; java.net.URI finds no host in them, so they never get near a socket.
        HttpCallFailure failure = failure(client.call(get(url.replace("PORT", Integer.toString(server.port)))));

        assertEquals(HttpCallFailure.INVALID_REQUEST, failure.code(), failure.getMessage());
        assertEquals(0, server.connections.get());
    }

    @Test
    void refusesTheCloudMetadataEndpoint() {
        HttpCallFailure failure = failure(client.call(get("http://169.254.169.254/latest/meta-data/")));

        assertEquals(HttpCallFailure.FORBIDDEN_TARGET, failure.code());
        assertEquals("forbidden target", failure.getMessage());
    }

    @Test
    void saysNeitherWhatAHostResolvesToNorWhichRuleRefusedIt() {
        // How internal names resolve is itself worth knowing to an attacker probing from a workflow.
        HttpCallFailure failure = failure(client.call(get("http://intranet.test/")));

        assertEquals(HttpCallFailure.FORBIDDEN_TARGET, failure.code());
        assertEquals("forbidden target", failure.getMessage());
    }

    @Test
    void refusesAHostWhenAnyOfItsAddressesIsInternal() {
        HttpCallFailure failure = failure(client.call(get("http://mixed.test:" + server.port + "/")));

        assertEquals(HttpCallFailure.FORBIDDEN_TARGET, failure.code());
        assertEquals("forbidden target", failure.getMessage());
    }

    @Test
    void neverAsksTheResolverAboutIpLiterals() {
        failure(client.call(get("http://2130706433:" + server.port + "/")));
        failure(client.call(get("http://[::1]:" + server.port + "/")));

        assertTrue(resolver.lookups.isEmpty(), resolver.lookups::toString);
    }

    @Test
    void reportsAnUnresolvableHostAsAnHttpFailure() {
        HttpCallFailure failure = failure(client.call(get("http://unknown.test/")));

        assertEquals(HttpCallFailure.HTTP, failure.code());
        assertTrue(failure.getMessage().startsWith("cannot resolve unknown.test"), failure.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "ftp://example.com/file",
        "file:///etc/passwd",
        "gopher://example.com/",
        "jar:http://example.com/a.jar!/",
        "mailto:ops@example.com",
        "//example.com/relative",
        "/just/a/path",
        "http:///no-host",
        "http://user:secret@example.com/",
        "http://user@example.com/",
        "http://example.com:0/",
        "http://example.com:65536/",
        "http://example.com:99999999999/",
        "http://exa mple.com/",
        "http://example.com/a b",
        "http://1.2.3.4.5/",
        "http://256.1.1.1/",
        "http://1.2.3.0x100/",
        "http://example.09/",
        "http://[fe80::1%25eth0]/",
        "http://[::1/",
        ""})
    void rejectsInvalidUrls(String url) {
        HttpCallFailure failure = failure(client.call(get(url)));

        assertEquals(HttpCallFailure.INVALID_REQUEST, failure.code(), failure.getMessage());
        assertTrue(resolver.lookups.isEmpty(), "no lookup for an invalid url");
    }

    @ParameterizedTest
    @ValueSource(strings = {"TRACE", "CONNECT", "GE T", "", "FOO"})
    void rejectsMethodsOutsideTheAllowedSet(String method) {
        HttpCallFailure failure = failure(client.call(spec(method, "http://example.com/", Map.of(), null)));

        assertEquals(HttpCallFailure.INVALID_REQUEST, failure.code());
    }

    @Test
    void rejectsHeadersThatCouldSplitOrReframeTheRequest() {
        for (Map<String, String> headers : List.of(
                Map.of("X-Token", "abc\r\nX-Injected: 1"),
                Map.of("X-Token", "abc\ndef"),
                Map.of("X-Token", "a\u0000b"),
                Map.of("X Token", "abc"),
                Map.of("X-Token:", "abc"),
                Map.of("", "abc"),
                Map.of("Host", "internal.example"),
                Map.of("Content-Length", "5"),
                Map.of("Transfer-Encoding", "chunked"),
                Map.of("Connection", "close"),
                Map.of("Proxy-Authorization", "Basic x"))) {
            HttpCallFailure failure = failure(client.call(spec("GET", "http://example.com/", headers, null)));
            assertEquals(HttpCallFailure.INVALID_REQUEST, failure.code(), headers::toString);
        }
    }

    @Test
    void neverPutsHeaderValuesIntoFailures() {
        HttpCallFailure failure = failure(client.call(
                spec("GET", "http://example.com/", Map.of("Authorization", "Bearer s3cr3t\r\n"), null)));

        assertEquals("header Authorization has an invalid value", failure.getMessage());
        assertFalse(failure.toString().contains("s3cr3t"));
    }

    @Test
    void rejectsANonPositiveTimeout() {
        HttpCallSpec spec = new HttpCallSpec("GET", "http://example.com/", Map.of(), null, Duration.ZERO, null);

        assertEquals(HttpCallFailure.INVALID_REQUEST, failure(client.call(spec)).code());
    }
}
