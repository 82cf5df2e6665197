package io.nexus.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.nexus.common.http.Channel;
import io.nexus.common.identity.CallerIdentity;
import io.nexus.common.identity.IdentityTokens;
import io.nexus.common.identity.Role;
import io.nexus.common.session.SessionKeys;
import io.nexus.common.testing.PrometheusScrape;
import io.nexus.gateway.FakeKeys.Key;
import io.nexus.gateway.config.GatewayConfig;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/**
 * Requests carrying {@code X-Nexus-Session} use their session (docs/api.md §2.5), against the real Redis (keys under
 * the test prefix only, removed afterwards) and the fake session-service's restore endpoint.
 */
@QuarkusTest
class SessionHeaderTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    RedisDataSource redis;
    @Inject
    GatewayConfig config;
    @Inject
    IdentityTokens identities;

    private final List<String> sessions = new ArrayList<>();

    @BeforeEach
    void setUp() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        RestAssured.config = RestAssured.config().httpClient(HttpClientConfig.httpClientConfig()
                .setParam("http.socket.timeout", 20_000).setParam("http.connection.timeout", 5_000));
        FakeServices.allReady();
    }

    @AfterEach
    void removeSessions() {
        String prefix = config.sessions().keyPrefix();
        for (String id : sessions) {
            redis.key().del(SessionKeys.session(prefix, id));
            redis.set(String.class).srem(SessionKeys.dirty(prefix), id);
        }
    }

    @Test
    void aRequestUsesItsSessionRecordingTheChannelSlidingTheExpiryAndMarkingItForWriteBehind() {
        Key key = FakeKeys.register("viewer", false, 1000, null);
        String id = sessionInRedis(key.tenantId(), "cli", 5_000);
        long sent = System.currentTimeMillis();
        JsonPath echo = withSession(key, id, "mcp").get("/api/v1/workflows").then()
                .statusCode(200)
                .header("RateLimit-Limit", "1000") // the rate-limit step still ran, in the same round trip
                .extract().jsonPath();
        assertEquals(id, echo.getString("headers.x-nexus-session"));
        CallerIdentity identity = FakeServices.verifyAs("workflow-service", echo.getString("headers.x-nexus-identity"));
        assertEquals(id, identity.sessionId());
        assertEquals(Channel.MCP, identity.channel());

        String sessionKey = SessionKeys.session(config.sessions().keyPrefix(), id);
        assertEquals("cli,mcp", redis.hash(String.class).hget(sessionKey, "channels"));
        assertTrue(Long.parseLong(redis.hash(String.class).hget(sessionKey, "activity")) >= sent, "activity is now");
        long pttl = redis.key().pttl(sessionKey);
        assertTrue(pttl > 55_000 && pttl <= 60_000, "the expiry slid back to the session's ttl of 60 s: " + pttl);
        assertTrue(inDirtySet(id), "marked for the write-behind to PostgreSQL");

        withSession(key, id, "cli").get("/api/v1/workflows").then().statusCode(200);
        assertEquals("cli,mcp", redis.hash(String.class).hget(sessionKey, "channels"), "each channel once");
    }

    @Test
    void anotherTenantsSessionIs404LikeAnUnknownOneAndNeverReachesTheService() {
        Key owner = FakeKeys.register("viewer", false, 1000, null);
        Key stranger = FakeKeys.register("developer", false, 1000, null);
        String id = sessionInRedis(owner.tenantId(), "cli", 60_000);
        String requestId = UUID.randomUUID().toString();
        String strangers = withSession(stranger, id, "mcp").header("X-Request-Id", requestId)
                .get("/api/v1/workflows").then()
                .statusCode(404)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo("urn:nexus:problem:not-found"))
                .body("detail", equalTo("no session '" + id + "'"))
                .extract().asString();
        assertFalse(FakeServices.PROXIED.contains(requestId), "the service never saw the request");
        assertFalse(FakeServices.RESTORE_CALLS.containsKey(id), "nothing to restore: Redis has the session");
        String sessionKey = SessionKeys.session(config.sessions().keyPrefix(), id);
        assertEquals("cli", redis.hash(String.class).hget(sessionKey, "channels"), "the owner's session is untouched");
        assertFalse(inDirtySet(id));

        String unknown = newSessionId(); // session-service answers 404 for it
        String unknowns = withSession(stranger, unknown, "mcp").get("/api/v1/workflows").then().statusCode(404)
                .extract().asString();
        assertEquals(strangers.replace(id, "<id>"), unknowns.replace(unknown, "<id>"), "nothing tells them apart");
    }

    @Test
    void aSessionRedisLostIsRestoredBySessionServiceUnderAServiceIdentityOfTheTenant() {
        Key key = FakeKeys.register("developer", false, 1000, null);
        String id = newSessionId();
        FakeServices.RESTORE_ANSWERS.put(id, 204);
        String requestId = UUID.randomUUID().toString();
        withSession(key, id, "cli").header("X-Request-Id", requestId).body("{}").post("/api/v1/workflows").then()
                .statusCode(200)
                .body("service", equalTo("workflow-service"));
        assertTrue(FakeServices.PROXIED.contains(requestId));

        Map<String, Object> call = FakeServices.RESTORE_CALLS.get(id).getMap();
        assertEquals("POST", call.get("method"));
        assertEquals(0, call.get("bodyBytes"));
        assertEquals(requestId, call.get("requestId"));
        CallerIdentity service = FakeServices.verifyAs("session-service", (String) call.get("identity"));
        assertEquals(Role.SERVICE, service.role());
        assertEquals(key.tenantId(), service.tenantId());
        assertEquals(Channel.CLI, service.channel());
        assertEquals(id, service.sessionId());
        assertEquals(requestId, service.requestId());
        assertNull(service.keyId(), "a service's own call, not the client's key");
    }

    @Test
    void aSessionNeitherRedisNorSessionServiceHasIs404() {
        Key key = FakeKeys.register("developer", false, 1000, null);
        String id = newSessionId();
        FakeServices.RESTORE_ANSWERS.put(id, 404);
        String requestId = UUID.randomUUID().toString();
        withSession(key, id, "api").header("X-Request-Id", requestId).get("/api/v1/executions").then()
                .statusCode(404)
                .body("type", equalTo("urn:nexus:problem:not-found"))
                .body("detail", equalTo("no session '" + id + "'"));
        assertTrue(FakeServices.RESTORE_CALLS.containsKey(id));
        assertFalse(FakeServices.PROXIED.contains(requestId));
    }

    @Test
    void sessionServiceFailingOrSilentIs503AndCountsAsADependencyError() {
        Key key = FakeKeys.register("developer", false, 1000, null);
        String failing = newSessionId();
        FakeServices.RESTORE_ANSWERS.put(failing, 500);
        double before = dependencyErrors();
        unavailable(withSession(key, failing, "api").get("/api/v1/workflows").then());
        assertTrue(dependencyErrors() >= before + 1, "the failed restore is a dependency error");

        String silent = newSessionId();
        FakeServices.RESTORE_ANSWERS.put(silent, FakeServices.NEVER_ANSWERS);
        long started = System.nanoTime();
        unavailable(withSession(key, silent, "api").get("/api/v1/workflows").then());
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertTrue(tookMs >= 900 && tookMs < 5_000, "waited for the restore timeout (1 s in tests): " + tookMs + " ms");
        assertTrue(dependencyErrors() >= before + 2, "so is the timed-out one");
    }

    @Test
    void aRateLimitRefusalWinsOverTheSessionsAnswer() {
        Key key = FakeKeys.register("developer", false, 1, null);
        Key other = FakeKeys.register("developer", false, 1000, null);
        String id = sessionInRedis(key.tenantId(), "api", 60_000);
        withSession(key, id, "api").get("/api/v1/workflows").then().statusCode(200);
        withSession(key, sessionInRedis(other.tenantId(), "api", 60_000), "api").get("/api/v1/workflows").then()
                .statusCode(429)
                .body("type", equalTo("urn:nexus:problem:too-many-requests"));
        String missing = newSessionId();
        FakeServices.RESTORE_ANSWERS.put(missing, 204);
        withSession(key, missing, "api").get("/api/v1/workflows").then().statusCode(429);
        assertFalse(FakeServices.RESTORE_CALLS.containsKey(missing), "a refused request restores nothing");
    }

    @Test
    void aMalformedSessionHeaderIs400NamingIt() {
        Key key = FakeKeys.register("viewer", false, 1000, null);
        String valid = newSessionId();
        for (String malformed : List.of("", "short", valid + "A", valid.substring(1) + ".", "not a session id here!",
                "sess_0123456789abcdef")) {
            given().header("Authorization", "Bearer " + key.key()).header("X-Nexus-Session", malformed)
                    .get("/api/v1/workflows").then()
                    .statusCode(400)
                    .body("type", equalTo("urn:nexus:problem:invalid-request"))
                    .body("detail", containsString("X-Nexus-Session"));
        }
        assertFalse(FakeServices.RESTORE_CALLS.containsKey(valid));
    }

    @Test
    void thePlatformAdminHasNoSessions() {
        String id = newSessionId();
        given().header("X-API-Key", "test-platform-admin-key-0123456789").header("X-Nexus-Session", id)
                .get("/api/v1/tenants").then()
                .statusCode(400)
                .body("detail", containsString("X-Nexus-Session"));
        assertFalse(FakeServices.RESTORE_CALLS.containsKey(id));
    }

    @Test
    void aRequestWithoutTheHeaderDoesNoSessionWork() {
        Key key = FakeKeys.register("viewer", false, 1000, null);
        int restoresBefore = FakeServices.RESTORE_CALLS.size();
        JsonPath echo = given().header("Authorization", "Bearer " + key.key()).header("X-Nexus-Channel", "mcp")
                .get("/api/v1/workflows").then().statusCode(200).extract().jsonPath();
        assertNull(FakeServices.verifyAs("workflow-service", echo.getString("headers.x-nexus-identity")).sessionId());
        assertFalse(echo.getMap("headers").containsKey("x-nexus-session"));
        assertEquals(restoresBefore, FakeServices.RESTORE_CALLS.size(), "no session-service call");
    }

    private static void unavailable(ValidatableResponse response) {
        response.statusCode(503)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo("urn:nexus:problem:service-unavailable"))
                .body("detail", equalTo("sessions cannot be checked right now; retry shortly"));
    }

    /** A session as session-service lays it out in Redis, with {@code pttlMs} left of its 60 s ttl. */
    private String sessionInRedis(String tenantId, String channels, long pttlMs) {
        String id = newSessionId();
        String sessionKey = SessionKeys.session(config.sessions().keyPrefix(), id);
        long created = System.currentTimeMillis() - 10_000;
        redis.hash(String.class).hset(sessionKey, Map.of("tenant", tenantId, "user", "u-1", "channels", channels,
                "created", Long.toString(created), "activity", Long.toString(created), "ttl", "60", "version", "1",
                "size", "0"));
        redis.key().pexpire(sessionKey, pttlMs);
        return id;
    }

    private String newSessionId() {
        byte[] bits = new byte[16];
        RANDOM.nextBytes(bits);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
        sessions.add(id);
        return id;
    }

    private boolean inDirtySet(String id) {
        return redis.set(String.class).sismember(SessionKeys.dirty(config.sessions().keyPrefix()), id);
    }

    private static RequestSpecification withSession(Key key, String id, String channel) {
        return given().header("Authorization", "Bearer " + key.key()).header("X-Nexus-Session", id)
                .header("X-Nexus-Channel", channel).contentType("application/json");
    }

    private static double dependencyErrors() {
        return new PrometheusScrape(given().get("/q/metrics").asString())
                .sum("nexus_errors_total", Map.of("type", "dependency")).orElse(0);
    }
}
