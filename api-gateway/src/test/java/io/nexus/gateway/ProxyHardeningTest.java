package io.nexus.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.nexus.gateway.FakeKeys.Key;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.core.json.JsonObject;

/**
 * What a hostile or careless client does to the proxy: bodies over the limit without a Content-Length, paths that mean
 * one thing to the route table and another to a service, NUL and broken escapes, and leaving mid-request.
 */
@QuarkusTest
class ProxyHardeningTest {

    @BeforeEach
    void ready() {
        FakeServices.allReady();
    }

    @Test
    void aChunkedBodyOverTheLimitIs413AndTheServiceNeverGetsACompleteRequest() throws Exception {
        Key key = FakeKeys.register("developer", false, 1000, null);
        String requestId = "chunked-" + UUID.randomUUID();
        String chunk = "x".repeat(3000); // the test limit is 4096 bytes: the second chunk goes over it
        RawHttp.Response response;
        try (Socket socket = RawHttp.open()) {
            RawHttp.send(socket, "POST /api/v1/workflows HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                    + key.key() + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nX-Request-Id: "
                    + requestId + "\r\n\r\n");
            RawHttp.send(socket, Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n");
            try {
                RawHttp.send(socket, Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n0\r\n\r\n");
            } catch (IOException closed) {
                // the gateway may already have answered and closed
            }
            response = RawHttp.read(socket);
        }
        assertEquals(413, response.status(), response.toString());
        assertTrue(response.header("Content-Type").startsWith("application/problem+json"));
        assertEquals("urn:nexus:problem:payload-too-large", new JsonObject(response.body()).getString("type"));
        assertFalse(FakeServices.PROXIED.contains(requestId), "the service never had a complete request");
        if (FakeServices.STARTED.contains(requestId)) {
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() ->
                    FakeServices.CLOSED_BEFORE_ANSWER.contains(requestId));
        }
        assertFalse(FakeServices.PROXIED.contains(requestId));
    }

    @Test
    void pathsWhoseNormalisedFormDiffersAreRefusedBeforeRouting() throws Exception {
        Key key = FakeKeys.register("developer", false, 1000, null);
        for (String path : new String[] {"/api/v1/workflows/%2e%2e", "/api/v1/workflows/%2E%2e/x/executions",
                "/api/v1/tenants/t/api-keys/..", "/api/v1/workflows/a%2fb", "/api/v1/workflows/a%5Cb",
                "/api/v1/executions/./cancel", "/internal/%2e%2e/api/v1/workflows",
                "/api/v1/workflows/%2e%2e/%2e%2e/internal/api-keys/resolve"}) {
            String requestId = "path-" + UUID.randomUUID();
            RawHttp.Response response = RawHttp.get(null, path, "Authorization: Bearer " + key.key()
                    + "\r\nX-Request-Id: " + requestId + "\r\n");
            assertTrue(response.status() == 400 || response.status() == 404, path + " → " + response);
            assertTrue(response.header("Content-Type").startsWith("application/problem+json"), path);
            assertFalse(FakeServices.STARTED.contains(requestId), path + " reached a service");
        }
    }

    @Test
    void nulAndMalformedEscapesAre400NamingTheField() throws Exception {
        Key key = FakeKeys.register("developer", false, 1000, null);
        String auth = "Authorization: Bearer " + key.key() + "\r\n";
        assertNamed("path", RawHttp.get(null, "/api/v1/workflows/a%00b", auth));
        assertNamed("path", RawHttp.get(null, "/api/v1/workflows/a%1Fb", auth));
        assertNamed("cursor", RawHttp.get(null, "/api/v1/workflows?cursor=%ZZ", auth));
        assertNamed("cursor", RawHttp.get(null, "/api/v1/workflows?limit=5&cursor=a%00b", auth));
        assertNamed("cursor", RawHttp.get(null, "/api/v1/workflows?cursor=%4", auth));
        // Well-formed escapes pass through untouched.
        RawHttp.Response fine = RawHttp.get(null, "/api/v1/workflows/a%20b?q=caf%C3%A9&cursor=x%2Fy", auth);
        assertEquals(200, fine.status(), fine.toString());
        assertEquals("/api/v1/workflows/a%20b?q=caf%C3%A9&cursor=x%2Fy", new JsonObject(fine.body()).getString("uri"));
    }

    private static void assertNamed(String field, RawHttp.Response response) {
        assertEquals(400, response.status(), response.toString());
        assertTrue(String.valueOf(response.header("Content-Type")).startsWith("application/problem+json"),
                response.toString());
        assertEquals(field, new JsonObject(response.body()).getJsonArray("errors").getJsonObject(0).getString("field"),
                response.toString());
    }

    @Test
    void aClientLeavingAWaitingSyncStartResetsTheUpstreamRequest() throws Exception {
        Key key = FakeKeys.register("developer", false, 1000, null);
        String requestId = "leaves-start-" + UUID.randomUUID();
        try (Socket socket = RawHttp.open()) {
            RawHttp.send(socket, "POST /api/v1/workflows/w1/executions HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
                    + "Bearer " + key.key() + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
                    + "X-Test-Hang: true\r\nX-Request-Id: " + requestId + "\r\n\r\n{}");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> FakeServices.PROXIED.contains(requestId));
        }
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() ->
                FakeServices.CLOSED_BEFORE_ANSWER.contains(requestId));
    }

    @Test
    void clientsLeavingMidRequestDoNotOpenTheServicesCircuit() throws Exception {
        // More clients give up than the circuit's failure threshold (3 in tests): a load tool stopping, browsers closing
        // event streams. The service did nothing wrong, so the next caller must still reach it.
        Key key = FakeKeys.register("developer", false, 1000, null);
        for (int i = 0; i < 6; i++) {
            String requestId = "leaves-" + i + "-" + UUID.randomUUID();
            try (Socket socket = RawHttp.open()) {
                RawHttp.send(socket, "POST /api/v1/workflows/w1/executions HTTP/1.1\r\nHost: localhost\r\n"
                        + "Authorization: Bearer " + key.key() + "\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 2\r\nX-Test-Hang: true\r\nX-Request-Id: " + requestId + "\r\n\r\n{}");
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> FakeServices.PROXIED.contains(requestId));
            }
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() ->
                    FakeServices.CLOSED_BEFORE_ANSWER.contains(requestId));
        }
        RestAssured.given().header("Authorization", "Bearer " + key.key()).get("/api/v1/workflows")
                .then().statusCode(200);
    }

    @Test
    void aClientLeavingAnEventStreamResetsTheUpstreamStream() throws Exception {
        Key key = FakeKeys.register("viewer", false, 1000, null);
        String requestId = "leaves-stream-" + UUID.randomUUID();
        try (Socket socket = RawHttp.open()) {
            RawHttp.send(socket, "GET /api/v1/executions/e1/events HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
                    + "Bearer " + key.key() + "\r\nAccept: text/event-stream\r\nX-Test-Endless: true\r\nX-Request-Id: "
                    + requestId + "\r\n\r\n");
            assertTrue(RawHttp.readUntil(socket, "event: tick"), "the stream is relayed");
        }
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() ->
                FakeServices.CLOSED_BEFORE_ANSWER.contains(requestId));
    }
}
