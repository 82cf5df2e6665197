package io.nexus.session;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.nexus.common.http.Channel;
import io.nexus.common.identity.IdentityTokens;
import io.nexus.common.identity.Role;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

/** The session API of docs/api.md §4.5 against real Redis and PostgreSQL. */
@QuarkusTest
@QuarkusTestResource(TestRedisServer.class)
class SessionApiTest {

    private static final ExecutorService CLIENTS = Executors.newFixedThreadPool(16);

    @Inject
    IdentityTokens tokens;

    private SessionCalls calls;

    @BeforeAll
    static void logFailures() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @AfterAll
    static void stopClients() {
        CLIENTS.shutdownNow();
    }

    private SessionCalls calls() {
        if (calls == null) {
            calls = new SessionCalls(tokens);
        }
        return calls;
    }

    private static String tenant() {
        return UUID.randomUUID().toString();
    }

    @Test
    void aSessionIsCreatedWithItsDefaultsAndReadBack() {
        String tenant = tenant();
        JsonPath created = calls().as(tenant, Role.DEVELOPER, Channel.CLI)
                .body(Map.of("userId", "ada", "data", Map.of("cart", List.of(1, 2))))
                .post("/api/v1/sessions").then().statusCode(201)
                .header("ETag", "\"0\"")
                .header("Location", matchesPattern("/api/v1/sessions/[A-Za-z0-9_-]{22}"))
                .body("id", matchesPattern("[A-Za-z0-9_-]{22}"))
                .body("tenantId", equalTo(tenant))
                .body("userId", equalTo("ada"))
                .body("channels", contains("cli"))
                .body("data.cart", contains(1, 2))
                .extract().jsonPath();
        Instant createdAt = Instant.parse(created.getString("createdAt"));
        Instant expiresAt = Instant.parse(created.getString("expiresAt"));
        assertEquals(Duration.ofSeconds(1800), Duration.between(createdAt, expiresAt));

        calls().get(tenant, created.getString("id")).statusCode(200)
                .body("userId", equalTo("ada"))
                .body("data.cart", contains(1, 2))
                .body("channels", contains("cli", "api"));
    }

    @Test
    void aSessionMayBeOpenedWithoutABody() {
        String tenant = tenant();
        calls().developer(tenant).post("/api/v1/sessions").then().statusCode(201)
                .body("userId", nullValue())
                .body("data", equalTo(Map.of()));
    }

    @Test
    void everyChannelThatUsesASessionIsListedInFirstUseOrder() {
        String tenant = tenant();
        String id = calls().create(tenant, Map.of());
        calls().as(tenant, Role.VIEWER, Channel.MCP).get("/api/v1/sessions/" + id).then().statusCode(200);
        calls().as(tenant, Role.DEVELOPER, Channel.CLI).body(Map.of("data", Map.of("step", 2)))
                .patch("/api/v1/sessions/" + id).then().statusCode(200);
        calls().as(tenant, Role.DEVELOPER, Channel.MCP).get("/api/v1/sessions/" + id).then().statusCode(200)
                .body("channels", contains("api", "mcp", "cli"));
    }

    @Test
    void aMergeFollowsRfc7386AndKeepsNumbersExactly() {
        String tenant = tenant();
        Map<String, Object> data = new HashMap<>();
        data.put("keep", "me");
        data.put("drop", true);
        data.put("prefs", Map.of("theme", "light", "size", 12));
        data.put("list", List.of(1, 2, 3));
        String id = calls().create(tenant, Map.of("data", data));

        String patch = """
                {"data": {"drop": null, "prefs": {"theme": "dark", "size": null, "lang": "en"}, "list": [],
                          "pi": 3.141592653589793, "big": 9007199254740993, "nested": {"a": {"b": null, "c": 1}}}}""";
        String body = calls().developer(tenant).body(patch).patch("/api/v1/sessions/" + id).then().statusCode(200)
                .header("ETag", "\"1\"")
                .extract().asString();
        assertEquals(true, body.contains("\"pi\":3.141592653589793"), body);
        assertEquals(true, body.contains("\"big\":9007199254740993"), body);
        assertEquals(true, body.contains("\"list\":[]"), body);
        JsonPath after = JsonPath.from(body);
        assertEquals("me", after.getString("data.keep"));
        assertEquals(false, after.getMap("data").containsKey("drop"));
        assertEquals(Map.of("theme", "dark", "lang", "en"), after.getMap("data.prefs"));
        assertEquals(Map.of("a", Map.of("c", 1)), after.getMap("data.nested"));
    }

    @Test
    void fiftyConcurrentMergesOfDistinctKeysAllLand() {
        String tenant = tenant();
        String id = calls().create(tenant, Map.of());
        List<CompletableFuture<Integer>> merges = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            int n = i;
            merges.add(CompletableFuture.supplyAsync(() -> calls().developer(tenant)
                    .body(Map.of("data", Map.of("k" + n, n, "shared", Map.of("s" + n, n))))
                    .patch("/api/v1/sessions/" + id).then().extract().statusCode(), CLIENTS));
        }
        merges.forEach(merge -> assertEquals(200, merge.join()));
        JsonPath session = calls().get(tenant, id).statusCode(200).header("ETag", "\"50\"").extract().jsonPath();
        for (int i = 0; i < 50; i++) {
            assertEquals(i, session.getInt("data.k" + i), "top-level key k" + i);
            assertEquals(i, session.getInt("data.shared.s" + i), "nested key s" + i);
        }
    }

    @Test
    void ifMatchMakesAMergeACompareAndSet() {
        String tenant = tenant();
        String id = calls().create(tenant, Map.of("data", Map.of("n", 1)));
        calls().developer(tenant).header("If-Match", "\"0\"").body(Map.of("data", Map.of("n", 2)))
                .patch("/api/v1/sessions/" + id).then().statusCode(200).header("ETag", "\"1\"");
        calls().developer(tenant).header("If-Match", "\"0\"").body(Map.of("data", Map.of("n", 3)))
                .patch("/api/v1/sessions/" + id).then().statusCode(412)
                .header("ETag", "\"1\"")
                .body("type", equalTo("urn:nexus:problem:precondition-failed"));
        calls().developer(tenant).header("If-Match", "W/\"junk").body(Map.of("data", Map.of("n", 4)))
                .patch("/api/v1/sessions/" + id).then().statusCode(412);
        calls().get(tenant, id).body("data.n", equalTo(2));
        calls().developer(tenant).header("If-Match", "*").body(Map.of("data", Map.of("n", 5)))
                .patch("/api/v1/sessions/" + id).then().statusCode(200).body("data.n", equalTo(5));
    }

    @Test
    void dataOverTheLimitIsRefusedWithA413AndNothingIsStored() {
        String tenant = tenant();
        String big = "x".repeat(70_000);
        calls().developer(tenant).body(Map.of("data", Map.of("blob", big))).post("/api/v1/sessions").then()
                .statusCode(413)
                .body("errors.field", hasItem("data"));
        calls().developer(tenant).get("/api/v1/sessions").then().statusCode(200).body("items.size()", equalTo(0));

        String id = calls().create(tenant, Map.of("data", Map.of("a", "x".repeat(40_000))));
        calls().patch(tenant, id, Map.of("b", "y".repeat(30_000))).statusCode(413)
                .body("detail", containsString("65536"));
        calls().get(tenant, id).statusCode(200).header("ETag", "\"0\"").body("data", not(hasKey("b")));
        // Replacing the big member by a small one frees the room again.
        Map<String, Object> replace = new HashMap<>();
        replace.put("a", null);
        replace.put("b", "y".repeat(30_000));
        calls().patch(tenant, id, replace).statusCode(200).header("ETag", "\"1\"");
    }

    @Test
    void badInputIsA400NamingEveryBadField() {
        String tenant = tenant();
        calls().developer(tenant).body(Map.of("data", List.of(1), "ttlSeconds", 0, "userId", "a\u0000b"))
                .post("/api/v1/sessions").then().statusCode(400);
        calls().developer(tenant).body("{\"data\": [1], \"userId\": \"a\\u0000b\"}").post("/api/v1/sessions")
                .then().statusCode(400).body("errors.field", hasItem("userId"));
        calls().developer(tenant).body(Map.of("data", "text")).post("/api/v1/sessions").then().statusCode(400)
                .body("errors.field", contains("data"));
        calls().developer(tenant).body(Map.of("ttlSeconds", 86_401)).post("/api/v1/sessions").then()
                .statusCode(400).body("errors.field", contains("ttlSeconds"));
        calls().developer(tenant).body(Map.of("ttlSeconds", 0)).post("/api/v1/sessions").then()
                .statusCode(400).body("errors.field", contains("ttlSeconds"));
        calls().developer(tenant).body(Map.of("colour", "red")).post("/api/v1/sessions").then().statusCode(400)
                .body("errors.field", contains("colour"));
        calls().developer(tenant).body("{\"data\": {}} trailing").post("/api/v1/sessions").then().statusCode(400);

        String id = calls().create(tenant, Map.of("data", Map.of("kept", 1)));
        calls().patch(tenant, id, 42).statusCode(400).body("errors.field", contains("data"));
        calls().developer(tenant).body(Map.of()).patch("/api/v1/sessions/" + id).then().statusCode(400)
                .body("errors.field", contains("data"));
        calls().get(tenant, "not-a-session").statusCode(400).body("errors.field", contains("id"));
        calls().get(tenant, "x".repeat(23)).statusCode(400).body("errors.field", contains("id"));
        calls().developer(tenant).get("/api/v1/sessions?active=maybe").then().statusCode(400)
                .body("errors.field", contains("active"));
        calls().developer(tenant).get("/api/v1/sessions?cursor=bm90LWEtY3Vyc29y").then().statusCode(400)
                .body("errors.field", contains("cursor"));
        calls().get(tenant, id).statusCode(200).header("ETag", "\"0\"").body("data.kept", equalTo(1));
        calls().developer(tenant).get("/api/v1/sessions").then().body("items.size()", equalTo(1));
    }

    @Test
    void anotherTenantsSessionIsNotFoundForEveryOperation() {
        String owner = tenant();
        String other = tenant();
        String id = calls().create(owner, Map.of("data", Map.of("secret", "s3")));
        calls().get(other, id).statusCode(404).body("detail", not(containsString("s3")));
        calls().patch(other, id, Map.of("secret", "stolen")).statusCode(404);
        calls().developer(other).delete("/api/v1/sessions/" + id).then().statusCode(404);
        calls().developer(other).get("/api/v1/sessions/" + id + "/executions").then().statusCode(404);
        calls().service(other, Channel.API).get("/internal/sessions/" + id).then().statusCode(404);
        calls().service(other, Channel.API).post("/internal/sessions/" + id + "/touch").then().statusCode(404);
        calls().developer(other).get("/api/v1/sessions").then().statusCode(200).body("items.size()", equalTo(0));
        calls().get(owner, id).statusCode(200).body("data.secret", equalTo("s3")).body("channels", contains("api"));
    }

    @Test
    void aClosedSessionIsGoneAndListedAsClosed() {
        String tenant = tenant();
        String id = calls().create(tenant, Map.of());
        calls().developer(tenant).delete("/api/v1/sessions/" + id).then().statusCode(204);
        calls().get(tenant, id).statusCode(404);
        calls().patch(tenant, id, Map.of("a", 1)).statusCode(404);
        calls().developer(tenant).delete("/api/v1/sessions/" + id).then().statusCode(404);
        calls().service(tenant, Channel.API).post("/internal/sessions/" + id + "/touch").then().statusCode(404);
        calls().developer(tenant).get("/api/v1/sessions").then().body("items.size()", equalTo(0));
        calls().developer(tenant).get("/api/v1/sessions?active=false").then()
                .body("items.id", contains(id))
                .body("items[0].status", equalTo("closed"));
    }

    @Test
    void listsPageThroughActiveSessionsMostRecentFirst() {
        String tenant = tenant();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(calls().create(tenant, Map.of("userId", i % 2 == 0 ? "even" : "odd")));
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            var request = calls().developer(tenant).queryParam("limit", 2);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/api/v1/sessions").then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("items.id"));
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        assertEquals(List.of(ids.get(4), ids.get(3), ids.get(2), ids.get(1), ids.get(0)), seen);
        calls().developer(tenant).queryParam("userId", "odd").get("/api/v1/sessions").then()
                .body("items.id", contains(ids.get(3), ids.get(1)))
                .body("items[0]", not(hasKey("data")));
    }

    @Test
    void viewersReadButDoNotWrite() {
        String tenant = tenant();
        String id = calls().create(tenant, Map.of());
        calls().as(tenant, Role.VIEWER, Channel.API).get("/api/v1/sessions/" + id).then().statusCode(200);
        calls().as(tenant, Role.VIEWER, Channel.API).body(Map.of("data", Map.of("a", 1)))
                .patch("/api/v1/sessions/" + id).then().statusCode(403);
        calls().as(tenant, Role.VIEWER, Channel.API).post("/api/v1/sessions").then().statusCode(403);
        calls().as(tenant, Role.VIEWER, Channel.API).delete("/api/v1/sessions/" + id).then().statusCode(403);
    }

    @Test
    void theInternalApiServesServicesActingForATenantOnly() {
        String tenant = tenant();
        String id = calls().create(tenant, Map.of("data", Map.of("n", 1)));
        calls().service(tenant, Channel.MCP).get("/internal/sessions/" + id).then().statusCode(200)
                .body("data.n", equalTo(1));
        calls().service(tenant, Channel.API).body("{\"n\": null, \"m\": {\"x\": 1}}")
                .post("/internal/sessions/" + id + "/merge").then().statusCode(200)
                .body("data", equalTo(Map.of("m", Map.of("x", 1))));
        calls().service(tenant, Channel.API).body("[1]").post("/internal/sessions/" + id + "/merge").then()
                .statusCode(400);
        calls().service(tenant, Channel.API).post("/internal/sessions/" + id + "/touch").then().statusCode(204);
        calls().developer(tenant).get("/internal/sessions/" + id).then().statusCode(403);
        calls().service(null, Channel.API).get("/internal/sessions/" + id).then().statusCode(403);
        calls().get(tenant, id).body("channels", contains("api", "mcp"));
    }
}
