package io.nexus.session;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.nexus.common.http.Channel;
import io.nexus.common.identity.IdentityTokens;
import io.nexus.common.identity.Role;
import io.nexus.common.testing.TopicWatcher;
import io.nexus.common.testing.TopicWatcher.Received;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * What keeps a session alive and what ends it: the write-behind to PostgreSQL, restore after a Redis flush or
 * restart, sliding expiry, and the expiry event when nobody touches the session again.
 */
@QuarkusTest
@QuarkusTestResource(TestRedisServer.class)
class SessionDurabilityTest {

    private static TopicWatcher sessionEvents;

    @Inject
    IdentityTokens tokens;

    @Inject
    Pool pool;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private SessionCalls calls;

    @BeforeAll
    static void logFailures() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @AfterAll
    static void stopWatching() {
        if (sessionEvents != null) {
            sessionEvents.close();
        }
    }

    private SessionCalls calls() {
        if (calls == null) {
            calls = new SessionCalls(tokens);
            if (sessionEvents == null) {
                sessionEvents = new TopicWatcher(bootstrapServers, "test.nexus.sessions");
            }
        }
        return calls;
    }

    @Test
    void aSessionComesBackWithItsDataAfterRedisIsFlushed() {
        String tenant = UUID.randomUUID().toString();
        String id = calls().create(tenant, Map.of("data", Map.of("step", 1)));
        calls().as(tenant, Role.DEVELOPER, Channel.CLI).body(Map.of("data", Map.of("step", 2, "cart", List.of("a"))))
                .patch("/api/v1/sessions/" + id).then().statusCode(200);
        awaitRecorded(id, 1);

        assertEquals("OK", TestRedisServer.cli("FLUSHALL"));

        calls().get(tenant, id).statusCode(200)
                .header("ETag", "\"1\"")
                .body("data.step", equalTo(2))
                .body("data.cart", contains("a"))
                .body("channels", contains("api", "cli"));
        calls().patch(tenant, id, Map.of("step", 3)).statusCode(200).header("ETag", "\"2\"");
    }

    @Test
    void aSessionNeverUsedSinceItsCreationComesBackWithItsData() {
        // Its durable record is the one the create wrote (no write-behind since): that row alone must restore it.
        String tenant = UUID.randomUUID().toString();
        String id = calls().create(tenant, Map.of("data", Map.of("first", List.of(1, 2))));

        assertEquals("OK", TestRedisServer.cli("FLUSHALL"));

        calls().get(tenant, id).statusCode(200).header("ETag", "\"0\"").body("data.first", contains(1, 2));
    }

    @Test
    void aSessionComesBackAfterRedisRestarts() {
        String tenant = UUID.randomUUID().toString();
        String id = calls().create(tenant, Map.of("userId", "grace", "data", Map.of("n", 1)));
        calls().patch(tenant, id, Map.of("m", 2)).statusCode(200);
        awaitRecorded(id, 1);

        TestRedisServer.stopServer();
        calls().get(tenant, id).statusCode(503)
                .body("type", equalTo("urn:nexus:problem:service-unavailable"));
        TestRedisServer.startServer();

        // The first request may meet a connection the restart broke; the session must be back right after.
        Awaitility.await("the session back after the Redis restart").atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> calls().get(tenant, id).extract().statusCode() == 200);
        calls().get(tenant, id).statusCode(200).body("userId", equalTo("grace")).body("data.n", equalTo(1))
                .body("data.m", equalTo(2));
    }

    @Test
    void everyUseSlidesTheExpiry() {
        String tenant = UUID.randomUUID().toString();
        String id = calls().create(tenant, Map.of("ttlSeconds", 2));
        Instant firstExpiry = Instant.parse(calls().get(tenant, id).extract().path("expiresAt"));
        // A use every second keeps a 2-second session alive well past its first expiry; a 404 on the way fails at once.
        Awaitility.await("the session kept alive 3 s past its first expiry by its uses")
                .atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofSeconds(1))
                .until(() -> Instant.parse(calls().get(tenant, id).statusCode(200).extract().path("expiresAt"))
                        .isAfter(firstExpiry.plusSeconds(3)));
        Awaitility.await("the session to expire once left alone").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> TestRedisServer.cli("EXISTS", "test:nexus:session:" + id).equals("0"));
        calls().get(tenant, id).statusCode(404);
    }

    @Test
    void expiryIsPublishedWhenNobodyTouchesTheSessionAgain() {
        calls();
        String tenant = UUID.randomUUID().toString();
        String id = calls().create(tenant, Map.of("ttlSeconds", 1));

        Received expired = Awaitility.await("nexus.session.expired for " + id).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> sessionEvents.withKey(id).stream()
                        .filter(event -> "nexus.session.expired".equals(event.header("ce_type"))).findFirst(),
                        found -> found.isPresent())
                .orElseThrow();
        JsonPath event = JsonPath.from(expired.valueAsString());
        assertEquals(tenant, event.getString("tenantid"));
        assertEquals(id, event.getString("data.sessionId"));
        Row row = record(id);
        assertFalse(row.getBoolean("is_active"));
        assertEquals("expired", row.getString("end_reason"));
        calls().developer(tenant).get("/api/v1/sessions?active=false").then()
                .body("items.id", contains(id)).body("items[0].status", equalTo("expired"));
        assertEquals(List.of("nexus.session.created", "nexus.session.expired"),
                sessionEvents.withKey(id).stream().map(e -> e.header("ce_type")).toList());
    }

    @Test
    void usesAreWrittenBehindWithAnUpdateEventAndCloseIsPublished() {
        calls();
        String tenant = UUID.randomUUID().toString();
        String id = calls().create(tenant, Map.of());
        calls().as(tenant, Role.DEVELOPER, Channel.MCP).body(Map.of("data", Map.of("x", 1)))
                .patch("/api/v1/sessions/" + id).then().statusCode(200);
        awaitRecorded(id, 1);
        Row row = record(id);
        assertEquals("{\"x\":1}", row.getString("data"));
        assertEquals(List.of("api", "mcp"), List.of(row.getArrayOfStrings("channels")));

        calls().developer(tenant).delete("/api/v1/sessions/" + id).then().statusCode(204);
        Awaitility.await("created, updated and closed events for " + id).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> sessionEvents.withKey(id).stream().map(e -> e.header("ce_type")).toList(),
                        types -> types.contains("nexus.session.closed"));
        List<String> types = sessionEvents.withKey(id).stream().map(e -> e.header("ce_type")).toList();
        assertEquals("nexus.session.created", types.get(0));
        assertTrue(types.contains("nexus.session.updated"), types.toString());
        assertEquals("nexus.session.closed", types.get(types.size() - 1));
        assertFalse(sessionEvents.withKey(id).stream().anyMatch(e -> e.valueAsString().contains("\"x\"")),
                "events never carry session data");
    }

    /** Waits until the durable record holds data version {@code version} (the write-behind has run). */
    private void awaitRecorded(String id, long version) {
        Awaitility.await("session " + id + " written behind at version " + version).atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> record(id).getLong("data_version") >= version);
    }

    private Row record(String id) {
        return pool.preparedQuery("SELECT is_active, end_reason, data::text AS data, channels, data_version "
                + "FROM sessions WHERE id = $1").execute(Tuple.of(id))
                .await().atMost(Duration.ofSeconds(5)).iterator().next();
    }
}
