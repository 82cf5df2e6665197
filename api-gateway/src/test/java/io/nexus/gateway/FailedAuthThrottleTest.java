package io.nexus.gateway;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.nexus.common.testing.PrometheusScrape;
import io.nexus.gateway.FakeKeys.Key;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/** Guessing keys from one address stops reaching tenant-service after nexus.gateway.auth.failure-throttle.max-failures. */
@QuarkusTest
class FailedAuthThrottleTest {

    private static final int MAX_FAILURES = 20; // the default, which the test profile keeps

    @BeforeEach
    void ready() {
        FakeServices.allReady();
    }

    @Test
    void anAddressThatKeepsFailingGets429WithoutTenantServiceBeingAsked() throws Exception {
        // An address of its own (any 127.x.y.z reaches the gateway on Linux), so that no other test shares its count.
        String address = "127.0." + ThreadLocalRandom.current().nextInt(1, 250) + "."
                + ThreadLocalRandom.current().nextInt(2, 250);
        String otherAddress = "127.0.250." + ThreadLocalRandom.current().nextInt(2, 250);
        Key known = FakeKeys.register("viewer", false, 1000, null);
        assertEquals(200, get(address, known.key()).status(), "a valid key, now cached by this replica");
        double unknownBefore = failures("unknown_key");
        for (int i = 0; i < MAX_FAILURES; i++) {
            assertEquals(401, get(address, guess()).status(), "failure " + (i + 1) + " is still answered");
        }
        int resolutions = FakeServices.RESOLUTIONS.get();
        RawHttp.Response throttled = get(address, guess());
        assertEquals(429, throttled.status(), throttled.toString());
        assertTrue(throttled.header("Content-Type").startsWith("application/problem+json"));
        assertEquals("urn:nexus:problem:too-many-requests", new JsonObject(throttled.body()).getString("type"));
        long retryAfter = Long.parseLong(throttled.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "within the one-minute window: " + retryAfter);
        Key fresh = FakeKeys.register("viewer", false, 1000, null);
        assertEquals(429, get(address, fresh.key()).status(), "an unchecked key waits too: checking it asks tenant-service");
        assertEquals(resolutions, FakeServices.RESOLUTIONS.get(), "tenant-service was not asked");
        assertEquals(200, get(address, known.key()).status(), "a key this replica knows as valid costs nothing");
        assertEquals(401, get(otherAddress, guess()).status(), "other addresses are not throttled");

        assertTrue(failures("unknown_key") >= unknownBefore + MAX_FAILURES + 1);
        assertTrue(failures("throttled") >= 2);
    }

    private static RawHttp.Response get(String address, String key) throws Exception {
        return RawHttp.get(address, "/api/v1/workflows", "Authorization: Bearer " + key + "\r\n");
    }

    private static String guess() {
        return "nxk_" + UUID.randomUUID().toString().replace("-", "") + "guessed";
    }

    private static double failures(String reason) {
        PrometheusScrape scrape = new PrometheusScrape(given().get("/q/metrics").asString());
        return scrape.all().stream()
                .filter(sample -> sample.name().equals("nexus_gateway_auth_failures_total")
                        && reason.equals(sample.labels().get("reason")))
                .mapToDouble(PrometheusScrape.Sample::value).sum();
    }
}
