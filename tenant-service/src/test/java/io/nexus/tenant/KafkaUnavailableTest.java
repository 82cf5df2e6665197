package io.nexus.tenant;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.nexus.common.testing.PrometheusScrape;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * docs/api.md §1: a service whose Kafka is unreachable stays ready (the outbox absorbs the outage) and says so in its
 * readiness data; the failed probes count as dependency errors. The shared check is the same in every service, so one
 * service proves it. Nothing listens on port 1.
 */
@QuarkusTest
@TestProfile(KafkaUnavailableTest.NoKafka.class)
class KafkaUnavailableTest {

    public static class NoKafka implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("kafka.bootstrap.servers", "127.0.0.1:1", "nexus.checks.interval", "1s",
                    "nexus.checks.timeout", "500ms");
        }
    }

    @Test
    void staysReadyAndReportsKafkaDegraded() {
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            PrometheusScrape scrape = new PrometheusScrape(given().get("/q/metrics").asString());
            assertTrue(scrape.sum("nexus_errors_total", Map.of("type", "dependency")).orElse(0) >= 2,
                    "failed Kafka probes are counted");
        });
        given().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'kafka' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'kafka' }.data.kafka", equalTo("degraded"));
    }
}
