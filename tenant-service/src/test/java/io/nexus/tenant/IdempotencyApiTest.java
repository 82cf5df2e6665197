package io.nexus.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.nexus.common.identity.CallerIdentity;
import io.nexus.common.identity.IdentityTokens;
import io.nexus.common.identity.Role;
import io.nexus.common.testing.CallerSpecs;
import io.nexus.common.testing.IdempotencyChecks;
import io.nexus.common.testing.IdempotencyChecks.Target;
import io.nexus.common.testing.TestIdentities;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** {@code Idempotency-Key} on tenant-service's creating POSTs (docs/api.md §2.7). */
@QuarkusTest
class IdempotencyApiTest {

    private static final CallerIdentity ADMIN = TestIdentities.platformAdmin();

    @Inject
    IdentityTokens tokens;
    @Inject
    Pool pool;

    private CallerSpecs callers;

    @BeforeEach
    void setUp() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        callers = new CallerSpecs(tokens);
    }

    @Test
    void creatingATenantHonoursTheKey() {
        String prefix = "idem-" + UUID.randomUUID().toString().substring(0, 8);
        Target target = new Target(() -> callers.as(ADMIN), "/api/v1/tenants",
                "{\"name\": \"" + prefix + "-a\"}", "{\"name\": \"" + prefix + "-b\"}",
                "{\"name\": \"" + prefix + "-c\"}",
                () -> count("SELECT count(*) FROM tenant WHERE name LIKE $1", prefix + "%"));
        IdempotencyChecks.verify(target, null);
    }

    @Test
    void issuingAnApiKeyHonoursTheKey() {
        String tenant = createTenant();
        String other = createTenant();
        IdempotencyChecks.verify(keys(TestIdentities.of(Role.ADMIN, tenant), tenant),
                keys(TestIdentities.of(Role.ADMIN, other), other));
    }

    @Test
    void thePlatformAdminAndATenantAdminKeepTheirKeysApart() {
        String tenant = createTenant();
        IdempotencyChecks.verify(keys(ADMIN, tenant), keys(TestIdentities.of(Role.ADMIN, tenant), tenant));
    }

    @Test
    void anAnsweredKeyIsForgottenAfterTheRetention() {
        String tenant = createTenant();
        callers.as(ADMIN).header("Idempotency-Key", "old").body("{\"name\": \"k\", \"role\": \"viewer\"}")
                .post("/api/v1/tenants/" + tenant + "/api-keys").then().statusCode(201);
        pool.preparedQuery("UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'old'")
                .execute().await().atMost(Duration.ofSeconds(5));
        callers.as(ADMIN).header("Idempotency-Key", "old").body("{\"name\": \"k\", \"role\": \"viewer\"}")
                .post("/api/v1/tenants/" + tenant + "/api-keys").then().statusCode(201);
        assertEquals(2, count("SELECT count(*) FROM api_key WHERE tenant_id = $1::uuid", tenant),
                "an expired key is a new request");
    }

    private Target keys(CallerIdentity caller, String tenant) {
        return new Target(() -> callers.as(caller), "/api/v1/tenants/" + tenant + "/api-keys",
                "{\"name\": \"ci\", \"role\": \"viewer\"}", "{\"name\": \"ci\", \"role\": \"developer\"}",
                "{\"name\": \"ci-2\", \"role\": \"viewer\"}",
                () -> count("SELECT count(*) FROM api_key WHERE tenant_id = $1::uuid", tenant));
    }

    private long count(String sql, String parameter) {
        return pool.preparedQuery(sql).execute(Tuple.of(parameter)).await().atMost(Duration.ofSeconds(5))
                .iterator().next().getLong(0);
    }

    private String createTenant() {
        return callers.as(ADMIN).body("{\"name\": \"" + TenantApiTest.unique("idem") + "\"}")
                .post("/api/v1/tenants").then().statusCode(201).extract().path("id");
    }
}
