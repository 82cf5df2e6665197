package io.nexus.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.nexus.common.testing.PrometheusScrape;
import io.nexus.gateway.FakeKeys.Key;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A Redis that takes connections but never answers (a listening socket nobody reads): each request waits the
 * rate limiter's timeout (250 ms), then passes unlimited and is proxied as usual (fail open), and the failure counts
 * as a dependency error. The wait is bounded by a timer on the request's own event loop. A request carrying
 * {@code X-Nexus-Session} is 503 instead: its session cannot be checked.
 */
@QuarkusTest
@TestProfile(SilentRedisTest.SilentRedis.class)
class SilentRedisTest {

    public static class SilentRedis implements QuarkusTestProfile {

        /** Held open for the whole run: the kernel completes connections into its backlog, nobody answers. */
        private static ServerSocket silent;

        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                if (silent == null) {
                    silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of("quarkus.redis.hosts", "redis://127.0.0.1:" + silent.getLocalPort(),
                    "nexus.gateway.rate-limit.redis-timeout", "250ms");
        }
    }

    @Test
    void requestsPassUnlimitedAfterTheTimeoutAndTheFailureIsCounted() {
        Key key = FakeKeys.register("viewer", false, 1, null);
        double before = dependencyErrors();
        for (int i = 0; i < 3; i++) {
            long started = System.nanoTime();
            given().header("Authorization", "Bearer " + key.key()).get("/api/v1/workflows").then()
                    .statusCode(200)
                    .header("RateLimit-Limit", nullValue())
                    .body("service", equalTo("workflow-service"));
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            assertTrue(tookMs >= 200 && tookMs < 5_000, "waited for the limiter's timeout only: " + tookMs + " ms");
        }
        assertTrue(dependencyErrors() >= before + 3, "each unenforced limit counts as a dependency error");
    }

    @Test
    void aRequestCarryingASessionIs503AfterTheTimeoutWhileOneWithoutPasses() {
        Key key = FakeKeys.register("viewer", false, 1000, null);
        double before = dependencyErrors();
        long started = System.nanoTime();
        given().header("Authorization", "Bearer " + key.key()).header("X-Nexus-Session", "AAAAAAAAAAAAAAAAAAAAAA")
                .get("/api/v1/workflows").then()
                .statusCode(503)
                .body("type", equalTo("urn:nexus:problem:service-unavailable"))
                .body("detail", equalTo("sessions cannot be checked right now; retry shortly"));
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertTrue(tookMs >= 200 && tookMs < 5_000, "waited for the session touch's timeout only: " + tookMs + " ms");
        // Without the header no session step gates the request: only the fail-open rate limit is waited for.
        given().header("Authorization", "Bearer " + key.key()).get("/api/v1/workflows").then().statusCode(200);
        assertTrue(dependencyErrors() >= before + 3, "two unenforced limits and one unchecked session");
    }

    private static double dependencyErrors() {
        return new PrometheusScrape(given().get("/q/metrics").asString())
                .sum("nexus_errors_total", Map.of("type", "dependency")).orElse(0);
    }
}
