package io.nexus.tenant;

import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.nexus.common.identity.ApiKeyHash;
import io.nexus.common.identity.CallerIdentity;
import io.nexus.common.identity.IdentityTokens;
import io.nexus.common.identity.Role;
import io.nexus.common.testing.CallerSpecs;
import io.nexus.common.testing.TestIdentities;
import io.nexus.tenant.config.TenantConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

@QuarkusTest
class ApiKeyApiTest {

    private static final CallerIdentity ADMIN = TestIdentities.platformAdmin();

    @Inject
    IdentityTokens tokens;
    @Inject
    Pool pool;
    @Inject
    ReactiveRedisDataSource redis;
    @Inject
    TenantConfig config;

    private CallerSpecs callers;

    @BeforeEach
    void setUp() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        callers = new CallerSpecs(tokens);
    }

    @Test
    void theKeyIsShownOnceAndStoredOnlyAsItsHash() {
        String tenant = createTenant();
        Map<String, Object> created = callers.as(ADMIN)
                .body("{\"name\": \"ci\", \"role\": \"developer\", \"expiresInDays\": 30}")
                .post("/api/v1/tenants/" + tenant + "/api-keys").then()
                .statusCode(201)
                .header("Location", startsWith("/api/v1/tenants/" + tenant + "/api-keys/"))
                .body("key", matchesPattern("nxk_[A-Za-z0-9_-]{43}"))
                .body("role", equalTo("developer"))
                .body("expiresAt", notNullValue())
                .extract().as(Map.class);
        String key = (String) created.get("key");
        assertTrue(key.startsWith((String) created.get("prefix")));

        callers.as(ADMIN).get("/api/v1/tenants/" + tenant + "/api-keys").then()
                .statusCode(200)
                .body("items", hasSize(1))
                .body("items[0]", not(hasKey("key")))
                .body("items[0].prefix", equalTo(created.get("prefix")))
                .body("nextCursor", nullValue());
        byte[] stored = pool.preparedQuery("SELECT key_hash FROM api_key WHERE id = $1::uuid")
                .execute(Tuple.of(created.get("id"))).await().atMost(Duration.ofSeconds(5)).iterator().next()
                .getBuffer("key_hash").getBytes();
        assertEquals(sha256Hex(key), HexFormat.of().formatHex(stored));
        String everything = pool.query("SELECT * FROM api_key").execute().await().atMost(Duration.ofSeconds(5))
                .toString();
        assertFalse(everything.contains(key.substring(4)), "the key itself is stored nowhere");
    }

    @Test
    void aTenantsAdminManagesItsOwnKeysAndNothingElse() {
        String tenant = createTenant();
        String other = createTenant();
        callers.as(TestIdentities.of(Role.ADMIN, tenant)).body("{\"name\": \"a\", \"role\": \"admin\"}")
                .post("/api/v1/tenants/" + tenant + "/api-keys").then().statusCode(201);
        for (Role role : List.of(Role.DEVELOPER, Role.VIEWER)) {
            CallerIdentity key = TestIdentities.of(role, tenant);
            callers.as(key).body("{\"name\": \"a\", \"role\": \"viewer\"}")
                    .post("/api/v1/tenants/" + tenant + "/api-keys").then().statusCode(403);
            callers.as(key).get("/api/v1/tenants/" + tenant + "/api-keys").then().statusCode(403);
        }
        CallerIdentity foreignAdmin = TestIdentities.of(Role.ADMIN, other);
        callers.as(foreignAdmin).get("/api/v1/tenants/" + tenant + "/api-keys").then().statusCode(404);
        callers.as(foreignAdmin).body("{\"name\": \"a\", \"role\": \"admin\"}")
                .post("/api/v1/tenants/" + tenant + "/api-keys").then().statusCode(404);
    }

    @Test
    void badKeyRequestsNameEveryField() {
        String tenant = createTenant();
        callers.as(ADMIN).body("{\"name\": \"\", \"role\": \"owner\", \"expiresInDays\": 0, \"scope\": \"all\"}")
                .post("/api/v1/tenants/" + tenant + "/api-keys").then()
                .statusCode(400)
                .body("errors.field", containsInAnyOrder("name", "role", "expiresInDays", "scope"));
        callers.as(ADMIN).body("{\"name\": \"x\", \"role\": \"viewer\", \"expiresInDays\": 3651}")
                .post("/api/v1/tenants/" + tenant + "/api-keys").then()
                .statusCode(400).body("errors.field", containsInAnyOrder("expiresInDays"));
        assertEquals(0, count("SELECT count(*) FROM api_key WHERE tenant_id = $1::uuid", tenant));
    }

    @Test
    void theGatewayResolvesAKeyByItsHashUntilItIsRevokedOrExpired() {
        String tenant = createTenant();
        Map<String, Object> created = createKey(tenant, "viewer");
        String hash = sha256Hex((String) created.get("key"));

        callers.as(TestIdentities.service()).body("{\"sha256\": \"" + hash + "\"}")
                .post("/internal/api-keys/resolve").then()
                .statusCode(200)
                .body("keyId", equalTo(created.get("id")))
                .body("tenantId", equalTo(tenant))
                .body("role", equalTo("viewer"))
                .body("tenantStatus", equalTo("active"))
                .body("quotas.apiCallsPerMinute", equalTo(6000));
        callers.as(TestIdentities.of(Role.ADMIN, tenant)).body("{\"sha256\": \"" + hash + "\"}")
                .post("/internal/api-keys/resolve").then().statusCode(403);
        callers.as(TestIdentities.service()).body("{\"sha256\": \"" + sha256Hex("nxk_unknown") + "\"}")
                .post("/internal/api-keys/resolve").then().statusCode(404);
        callers.as(TestIdentities.service()).body("{\"sha256\": \"xyz\"}")
                .post("/internal/api-keys/resolve").then().statusCode(400);
        callers.as(TestIdentities.service()).get("/api/v1/tenants/" + tenant).then().statusCode(403);

        pool.preparedQuery("UPDATE api_key SET expires_at = now() - interval '1 second' WHERE id = $1::uuid")
                .execute(Tuple.of(created.get("id"))).await().atMost(Duration.ofSeconds(5));
        callers.as(TestIdentities.service()).body("{\"sha256\": \"" + hash + "\"}")
                .post("/internal/api-keys/resolve").then().statusCode(404);
    }

    @Test
    void revokingAKeyTellsTheGatewaysAtOnceAndAnnouncesIt() throws Exception {
        String tenant = createTenant();
        Map<String, Object> created = createKey(tenant, "developer");
        String keyId = (String) created.get("id");
        List<String> heard = new CopyOnWriteArrayList<>();
        var subscription = redis.pubsub(String.class).subscribe(config.invalidationChannel())
                .subscribe().with(heard::add);
        try {
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> {
                heard.clear();
                redis.pubsub(String.class).publish(config.invalidationChannel(), "ping").await().indefinitely();
                return heard.contains("ping");
            });
            callers.as(TestIdentities.of(Role.ADMIN, tenant))
                    .delete("/api/v1/tenants/" + tenant + "/api-keys/" + keyId).then().statusCode(204);
            Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> heard.stream().anyMatch(message ->
                    message.contains("\"kind\":\"apikey\"") && message.contains(keyId)));
        } finally {
            subscription.cancel();
        }
        callers.as(TestIdentities.service()).body("{\"sha256\": \"" + sha256Hex((String) created.get("key")) + "\"}")
                .post("/internal/api-keys/resolve").then().statusCode(404);
        callers.as(ADMIN).delete("/api/v1/tenants/" + tenant + "/api-keys/" + keyId).then().statusCode(204);
        assertEquals(1, count("SELECT count(*) FROM outbox_event WHERE event_type = 'nexus.apikey.revoked' "
                + "AND tenant_id = $1", tenant), "revoking twice announces once");
        callers.as(ADMIN).get("/api/v1/tenants/" + tenant + "/api-keys").then()
                .body("items[0].revokedAt", notNullValue());
    }

    @Test
    void deletingATenantRevokesItsKeys() {
        String tenant = createTenant();
        Map<String, Object> created = createKey(tenant, "admin");
        callers.as(ADMIN).delete("/api/v1/tenants/" + tenant).then().statusCode(204);
        callers.as(TestIdentities.service()).body("{\"sha256\": \"" + sha256Hex((String) created.get("key")) + "\"}")
                .post("/internal/api-keys/resolve").then().statusCode(404);
        assertEquals(0, count("SELECT count(*) FROM api_key WHERE tenant_id = $1::uuid AND revoked_at IS NULL",
                tenant));
    }

    private String createTenant() {
        return callers.as(ADMIN).body("{\"name\": \"" + TenantApiTest.unique("keys") + "\"}")
                .post("/api/v1/tenants").then().statusCode(201).extract().path("id");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> createKey(String tenant, String role) {
        return callers.as(ADMIN).body("{\"name\": \"k\", \"role\": \"" + role + "\"}")
                .post("/api/v1/tenants/" + tenant + "/api-keys").then().statusCode(201).extract().as(Map.class);
    }

    private long count(String sql, String parameter) {
        return pool.preparedQuery(sql).execute(Tuple.of(parameter)).await().atMost(Duration.ofSeconds(5))
                .iterator().next().getLong(0);
    }

    static String sha256Hex(String key) {
        return ApiKeyHash.hex(key);
    }
}
