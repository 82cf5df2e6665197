package io.nexus.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.nexus.common.http.Channel;
import io.nexus.common.identity.CallerIdentity;
import io.nexus.common.identity.IdentityTokens;
import io.nexus.common.identity.InvalidIdentityException;
import io.nexus.common.identity.Role;
import io.nexus.common.testing.PrometheusScrape;
import io.nexus.gateway.FakeKeys.Key;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

@QuarkusTest
class GatewayProxyTest {

    private static final String ADMIN_KEY = "test-platform-admin-key-0123456789";

    @Inject
    IdentityTokens identities;

    @BeforeEach
    void logFailures() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        // A gateway bug must fail a test, not hang the build.
        RestAssured.config = RestAssured.config().httpClient(io.restassured.config.HttpClientConfig
                .httpClientConfig().setParam("http.socket.timeout", 20_000).setParam("http.connection.timeout", 5_000));
        FakeServices.allReady();
    }

    @AfterEach
    void reset() {
        FakeServices.allReady();
    }

    @Test
    void requestsWithoutAUsableKeyAre401() {
        Key expired = FakeKeys.register("developer", false, 1000, Instant.now().minusSeconds(1));
        for (RequestSpecification request : List.of(given(), given().header("Authorization", ""),
                given().header("Authorization", "Bearer "), given().header("Authorization", "Basic dXNlcjpwYXNz"),
                given().header("X-API-Key", "short"), given().header("Authorization", "Bearer nxk_unknownkey0123456789"),
                given().header("Authorization", "Bearer " + expired.key()))) {
            request.get("/api/v1/workflows").then()
                    .statusCode(401)
                    .contentType(startsWith("application/problem+json"))
                    .header("WWW-Authenticate", startsWith("Bearer"))
                    .body("type", equalTo("urn:nexus:problem:unauthorized"));
        }
    }

    @Test
    void aSuspendedTenantIs403() {
        Key key = FakeKeys.register("admin", true, 1000, null);
        bearer(key).get("/api/v1/workflows").then().statusCode(403).body("detail", containsString("suspended"));
    }

    @Test
    void theRoleTableDecidesWhatEachKeyMayDo() {
        String tenant = java.util.UUID.randomUUID().toString();
        Key viewer = FakeKeys.register(tenant, "viewer", false, 1000, null);
        Key developer = FakeKeys.register(tenant, "developer", false, 1000, null);
        Key admin = FakeKeys.register(tenant, "admin", false, 1000, null);
        bearer(viewer).get("/api/v1/workflows").then().statusCode(200);
        bearer(viewer).get("/api/v1/executions/abc").then().statusCode(200);
        bearer(viewer).body("{}").post("/api/v1/workflows").then().statusCode(403);
        bearer(viewer).post("/api/v1/executions/abc/cancel").then().statusCode(403);
        bearer(developer).body("{}").post("/api/v1/workflows").then().statusCode(200);
        bearer(developer).delete("/api/v1/sessions/s1").then().statusCode(200);
        bearer(admin).body("{}").post("/api/v1/marketplace/items/i1/reviews").then().statusCode(200);
        // Tenant routes go to tenant-service, which scopes every key to its own tenant.
        bearer(viewer).get("/api/v1/tenants/" + tenant).then().statusCode(200).body("service", equalTo("tenant-service"));
        // The platform admin may call /api/v1/tenants/** and nothing else.
        admin().get("/api/v1/tenants").then().statusCode(200).body("service", equalTo("tenant-service"));
        admin().get("/api/v1/workflows").then().statusCode(403);
        admin().get("/api/v1/tenant").then().statusCode(403);
    }

    @Test
    void theServiceReceivesASignedIdentityAndNeitherTheKeyNorForgedHeaders() {
        Key key = FakeKeys.register("developer", false, 1000, null);
        JsonPath echo = bearer(key)
                .header("X-Nexus-Identity", "forged")
                .header("X-Nexus-Tenant", "someone-else")
                .header("X-Nexus-Channel", "cli")
                .header("X-Request-Id", "rid-42")
                .queryParam("q", "a b")
                .get("/api/v1/workflows").then()
                .statusCode(200)
                .header("X-Request-Id", "rid-42")
                .extract().jsonPath();
        assertEquals("workflow-service", echo.getString("service"));
        assertEquals("/api/v1/workflows?q=a%20b", echo.getString("uri"), "the path and query go through untouched");
        Map<String, String> headers = echo.getMap("headers");
        assertFalse(headers.containsKey("authorization") || headers.containsKey("x-api-key"), "the key stays at the edge");
        assertFalse(headers.containsKey("x-nexus-tenant"));
        assertEquals("cli", headers.get("x-nexus-channel"));
        assertEquals("rid-42", headers.get("x-request-id"));
        CallerIdentity identity = FakeServices.verifyAs("workflow-service", headers.get("x-nexus-identity"));
        assertThrows(InvalidIdentityException.class,
                () -> FakeServices.verifyAs("tenant-service", headers.get("x-nexus-identity")),
                "the identity is addressed to the service the request goes to, and opens no other");
        assertEquals(key.tenantId(), identity.tenantId());
        assertEquals(Role.DEVELOPER, identity.role());
        assertEquals(key.keyId(), identity.keyId());
        assertEquals(Channel.CLI, identity.channel());
        assertNull(identity.sessionId(), "no X-Nexus-Session, no session (SessionHeaderTest has them)");
        assertEquals("rid-42", identity.requestId());
    }

    @Test
    void mcpGoesToWorkflowServiceForEveryRoleWithChannelMcp() {
        String tenant = java.util.UUID.randomUUID().toString();
        Key viewer = FakeKeys.register(tenant, "viewer", false, 1000, null);
        String body = "{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"ping\"}";
        // Every MCP call is a POST: the role table is the MCP server's to apply per tool, not the gateway's.
        JsonPath echo = bearer(viewer).header("X-Nexus-Channel", "api").header("Mcp-Session-Id", "s-1")
                .header("Origin", "http://localhost:3000").body(body).post("/mcp").then().statusCode(200)
                .extract().jsonPath();
        assertEquals("workflow-service", echo.getString("service"));
        assertEquals("/mcp", echo.getString("uri"));
        Map<String, String> headers = echo.getMap("headers");
        assertEquals("s-1", headers.get("mcp-session-id"), "the MCP session header reaches the server");
        assertEquals("http://localhost:3000", headers.get("origin"), "the server checks Origin itself");
        CallerIdentity identity = FakeServices.verifyAs("workflow-service", headers.get("x-nexus-identity"));
        assertEquals(Channel.MCP, identity.channel(), "on /mcp the channel is mcp whatever the client declares");
        assertEquals(Role.VIEWER, identity.role());
        bearer(viewer).get("/mcp").then().statusCode(200).body("method", equalTo("GET"));
        bearer(viewer).delete("/mcp").then().statusCode(200).body("method", equalTo("DELETE"));
        given().body(body).post("/mcp").then().statusCode(401).header("WWW-Authenticate", startsWith("Bearer"));
        admin().body(body).post("/mcp").then().statusCode(403);
        bearer(viewer).body(body).post("/mcp/elsewhere").then().statusCode(404);
    }

    @Test
    void theChannelIsApiByDefaultAndOnlyTheContractsValuesAreAccepted() {
        Key key = FakeKeys.register("viewer", false, 1000, null);
        String token = bearer(key).get("/api/v1/workflows").then().statusCode(200).extract()
                .jsonPath().getString("headers.x-nexus-identity");
        assertEquals(Channel.API, FakeServices.verifyAs("workflow-service", token).channel());
        bearer(key).header("X-Nexus-Channel", "fax").get("/api/v1/workflows").then()
                .statusCode(400).body("detail", containsString("X-Nexus-Channel"));
        bearer(key).header("X-Nexus-Session", "not a session!").get("/api/v1/workflows").then().statusCode(400);
    }

    @Test
    void locationHeadersComeBackRelative() {
        Key key = FakeKeys.register("developer", false, 1000, null);
        bearer(key).header("X-Test-Status", "201").header("X-Test-Location", "/api/v1/workflows/w1?version=2")
                .body("{}").post("/api/v1/workflows").then()
                .statusCode(201).header("Location", "/api/v1/workflows/w1?version=2");
    }

    @Test
    void bodiesAreStreamedThroughAndOversizedOnesAre413() {
        Key key = FakeKeys.register("developer", false, 1000, null);
        bearer(key).body("x".repeat(4000)).post("/api/v1/workflows").then().statusCode(200)
                .body("bodyBytes", equalTo(4000));
        bearer(key).body("x".repeat(5000)).post("/api/v1/workflows").then()
                .statusCode(413).contentType(startsWith("application/problem+json"));
    }

    @Test
    void upstreamFailuresNameTheServiceAsProblems() {
        Key key = FakeKeys.register("developer", false, 1000, null);
        bearer(key).header("X-Test-Hang", "true").get("/api/v1/sessions").then()
                .statusCode(504).contentType(startsWith("application/problem+json"))
                .body("detail", containsString("session-service"));
        FakeServices.UNREACHABLE.put("marketplace-service", true);
        bearer(key).get("/api/v1/marketplace/items").then()
                .statusCode(502).body("detail", containsString("marketplace-service"))
                .body(not(containsString("127.0.0.1")));
        // After repeated failures the circuit opens: answers come at once, 503.
        for (int i = 0; i < 3; i++) {
            bearer(key).get("/api/v1/marketplace/items");
        }
        long started = System.nanoTime();
        bearer(key).get("/api/v1/marketplace/items").then().statusCode(503)
                .body("detail", containsString("marketplace-service"));
        assertTrue((System.nanoTime() - started) / 1_000_000 < 500, "an open circuit answers at once");
        FakeServices.UNREACHABLE.clear();
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                bearer(key).get("/api/v1/marketplace/items").then().statusCode(200));
    }

    @Test
    void serverSentEventsAreRelayedAsTheyHappen() throws Exception {
        Key key = FakeKeys.register("viewer", false, 1000, null);
        var client = java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        var request = java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/api/v1/executions/e1/events"))
                .header("Authorization", "Bearer " + key.key()).timeout(Duration.ofSeconds(20)).build();
        long started = System.nanoTime();
        var response = client.send(request, java.net.http.HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, response.statusCode());
        var lines = response.body().iterator();
        String first = lines.next();
        long firstMs = (System.nanoTime() - started) / 1_000_000;
        assertEquals("event: step", first);
        long events = 1;
        while (lines.hasNext()) {
            if (lines.next().startsWith("event:")) {
                events++;
            }
        }
        long allMs = (System.nanoTime() - started) / 1_000_000;
        assertEquals(3, events);
        // Buffered, all three would arrive together at the end; streamed, the last comes two intervals (600 ms) after
        // the first. One interval of margin: on a busy machine the first event can be late by a hundred ms or more.
        assertTrue(allMs - firstMs >= 300, "the first event arrived " + (allMs - firstMs) + " ms before the end");
    }

    @Test
    void resolvedKeysAreCachedAndForgottenWhenTenantServiceSaysSo() {
        Key key = FakeKeys.register("developer", false, 1000, null);
        int before = FakeServices.RESOLUTIONS.get();
        bearer(key).get("/api/v1/workflows").then().statusCode(200);
        bearer(key).get("/api/v1/workflows").then().statusCode(200);
        assertEquals(before + 1, FakeServices.RESOLUTIONS.get(), "one lookup for two requests");
    }

    @Test
    void unknownPathsAre404AtTheGatewayAndMetricsUseRouteTemplates() {
        Key key = FakeKeys.register("viewer", false, 1000, null);
        bearer(key).get("/api/v1/nothing-here").then().statusCode(404).body("instance", equalTo("/api/v1/nothing-here"));
        bearer(key).get("/api/v1/workflows/order-intake-7").then().statusCode(200);
        PrometheusScrape scrape = new PrometheusScrape(given().get("/q/metrics").asString());
        assertTrue(scrape.has("nexus_channel_request_duration_seconds_count",
                Map.of("route", "/api/v1/workflows/{name}", "method", "GET", "status", "200", "channel", "api")));
        assertFalse(scrape.all().stream().anyMatch(s -> s.labels().containsValue("/api/v1/workflows/order-intake-7")));
    }

    private RequestSpecification bearer(Key key) {
        return given().header("Authorization", "Bearer " + key.key()).contentType("application/json");
    }

    private RequestSpecification admin() {
        return given().header("X-API-Key", ADMIN_KEY);
    }
}
