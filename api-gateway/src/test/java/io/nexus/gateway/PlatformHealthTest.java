package io.nexus.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.nexus.gateway.FakeServices.State;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class PlatformHealthTest {

    @BeforeEach
    @AfterEach
    void reset() {
        FakeServices.allReady();
    }

    @Test
    void upWhenEveryServiceIsReady() {
        // The gateway's own Kafka probe may need a moment after start-up.
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/health").then()
                .statusCode(200)
                .header("Cache-Control", "no-store")
                .body("status", equalTo("up"))
                .body("services", hasSize(5))
                .body("services.name", equalTo(java.util.List.of("api-gateway", "marketplace-service",
                        "session-service", "tenant-service", "workflow-service")))
                .body("services.find { it.name == 'api-gateway' }.dependencies.redis", equalTo("up"))
                .body("services.find { it.name == 'api-gateway' }.dependencies.kafka", equalTo("up"))
                .body("services.find { it.name == 'tenant-service' }.dependencies.postgresql", equalTo("up"))
                .body("services.find { it.name == 'tenant-service' }.reason", nullValue()));
    }

    @Test
    void kafkaDownIsDegradedButServing() {
        FakeServices.set("workflow-service", State.KAFKA_DOWN);
        given().get("/health").then()
                .statusCode(200)
                .body("status", equalTo("degraded"))
                .body("services.find { it.name == 'workflow-service' }.status", equalTo("up"))
                .body("services.find { it.name == 'workflow-service' }.dependencies.kafka", equalTo("degraded"));
    }

    @Test
    void aServiceWithoutItsDatabaseMakesThePlatformDown() {
        FakeServices.set("session-service", State.DATABASE_DOWN);
        given().get("/health").then()
                .statusCode(503)
                .body("status", equalTo("down"))
                .body("services.find { it.name == 'session-service' }.status", equalTo("down"))
                .body("services.find { it.name == 'session-service' }.dependencies.postgresql", equalTo("down"))
                .body("services.find { it.name == 'tenant-service' }.status", equalTo("up"));
    }

    @Test
    void aHangingServiceIsCutAtTheTimeoutAndReportedDown() {
        FakeServices.set("marketplace-service", State.HANGS);
        long started = System.nanoTime();
        given().get("/health").then()
                .statusCode(503)
                .body("services.find { it.name == 'marketplace-service' }.reason", equalTo("timeout"));
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;
        org.junit.jupiter.api.Assertions.assertTrue(elapsedMs < 5_000, "took " + elapsedMs + " ms");
    }

    @Test
    void anUnreachableServiceIsReportedWithoutItsAddress() {
        FakeServices.set("tenant-service", State.CLOSES_CONNECTION);
        given().get("/health").then()
                .statusCode(503)
                .body("services.find { it.name == 'tenant-service' }.status", equalTo("down"))
                .body("services.find { it.name == 'tenant-service' }.reason", equalTo("unreachable"))
                .body(not(containsString("127.0.0.1")));
    }
}
