package io.nexus.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.nexus.common.testing.PrometheusScrape;
import io.nexus.gateway.FakeKeys.Key;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The documented choice: without Redis the rate limit fails open (requests pass, unlimited, counted as dependency
 * errors) while readiness fails, so that a Redis outage takes the replica out of rotation instead of serving
 * everything with 5xx. Requests carrying a session are the exception (503). Nothing listens on port 1.
 */
@QuarkusTest
@TestProfile(RedisUnavailableTest.NoRedis.class)
class RedisUnavailableTest {

    public static class NoRedis implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.redis.hosts", "redis://127.0.0.1:1");
        }
    }

    @Test
    void requestsPassUnlimitedAndTheFailureIsCountedAndReadinessFails() {
        Key key = FakeKeys.register("viewer", false, 1, null);
        double before = dependencyErrors();
        for (int i = 0; i < 3; i++) {
            given().header("Authorization", "Bearer " + key.key()).get("/api/v1/workflows").then()
                    .statusCode(200)
                    .header("RateLimit-Limit", nullValue());
        }
        assertTrue(dependencyErrors() >= before + 3, "each unenforced limit counts as a dependency error");
        given().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'Redis connection health check' }.status", equalTo("DOWN"));
    }

    /** Sessions fail closed: a session nobody could check is not used. */
    @Test
    void aRequestCarryingASessionIs503() {
        Key key = FakeKeys.register("viewer", false, 1000, null);
        given().header("Authorization", "Bearer " + key.key()).header("X-Nexus-Session", "AAAAAAAAAAAAAAAAAAAAAA")
                .get("/api/v1/workflows").then()
                .statusCode(503)
                .body("type", equalTo("urn:nexus:problem:service-unavailable"))
                .body("detail", equalTo("sessions cannot be checked right now; retry shortly"));
    }

    private static double dependencyErrors() {
        return new PrometheusScrape(given().get("/q/metrics").asString())
                .sum("nexus_errors_total", Map.of("type", "dependency")).orElse(0);
    }
}
