package io.nexus.session;

import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.nexus.common.identity.IdentityTokens;
import io.nexus.common.testing.IdempotencyChecks;
import io.nexus.common.testing.IdempotencyChecks.Target;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** {@code Idempotency-Key} on {@code POST /api/v1/sessions} (docs/api.md §2.7). */
@QuarkusTest
@QuarkusTestResource(TestRedisServer.class)
class SessionIdempotencyTest {

    @Inject
    IdentityTokens tokens;
    @Inject
    Pool pool;

    @BeforeAll
    static void logFailures() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Test
    void openingASessionHonoursTheKey() {
        SessionCalls calls = new SessionCalls(tokens);
        IdempotencyChecks.verify(sessions(calls, UUID.randomUUID().toString()),
                sessions(calls, UUID.randomUUID().toString()));
    }

    private Target sessions(SessionCalls calls, String tenant) {
        return new Target(() -> calls.developer(tenant), "/api/v1/sessions",
                "{\"userId\": \"u-1\", \"data\": {\"cart\": [1, 2]}}", "{\"userId\": \"u-2\"}",
                "{\"userId\": \"u-3\"}",
                () -> pool.preparedQuery("SELECT count(*) FROM sessions WHERE tenant_id = $1::uuid")
                        .execute(Tuple.of(tenant)).await().atMost(Duration.ofSeconds(5)).iterator().next().getLong(0));
    }
}
