package io.nexus.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;


import io.nexus.events.EventCodec;
import io.nexus.events.NexusEvent;
import io.nexus.events.tenant.ApiKeyRevoked;
import io.nexus.gateway.FakeKeys.Key;
import io.nexus.gateway.config.GatewayConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/** Cached keys are forgotten when tenant-service says so; the per-tenant rate limit holds. Real Redis and Kafka. */
@QuarkusTest
class KeyInvalidationAndRateLimitTest {

    @Inject
    ReactiveRedisDataSource redis;
    @Inject
    GatewayConfig config;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @BeforeEach
    void setUp() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        RestAssured.config = RestAssured.config().httpClient(io.restassured.config.HttpClientConfig
                .httpClientConfig().setParam("http.socket.timeout", 20_000).setParam("http.connection.timeout", 5_000));
        FakeServices.allReady();
    }

    @Test
    void aKeyRevokedThroughPubSubStopsWorkingWithinASecond() {
        Key key = FakeKeys.register("developer", false, 1000, null);
        bearer(key).get("/api/v1/workflows").then().statusCode(200);
        FakeKeys.forget(key); // tenant-service now answers 404 for it
        bearer(key).get("/api/v1/workflows").then().statusCode(200); // still cached

        long revokedAt = System.nanoTime();
        redis.pubsub(String.class).publish(config.auth().invalidationChannel(),
                "{\"kind\":\"apikey\",\"tenantId\":\"" + key.tenantId() + "\",\"keyId\":\"" + key.keyId() + "\"}")
                .await().atMost(Duration.ofSeconds(2));
        Awaitility.await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                bearer(key).get("/api/v1/workflows").then().statusCode(401));
        assertTrue((System.nanoTime() - revokedAt) / 1_000_000 < 1000);
    }

    @Test
    void aTenantChangeOnPubSubRefreshesEveryKeyOfTheTenant() {
        String tenant = java.util.UUID.randomUUID().toString();
        Key first = FakeKeys.register(tenant, "developer", false, 1000, null);
        bearer(first).get("/api/v1/workflows").then().statusCode(200);
        Key suspended = FakeKeys.register(tenant, "developer", true, 1000, null);
        FakeServices.KEYS.put(FakeKeys.sha256(first.key()), FakeServices.KEYS.get(FakeKeys.sha256(suspended.key()))
                .copy().put("keyId", first.keyId()));
        redis.pubsub(String.class).publish(config.auth().invalidationChannel(),
                "{\"kind\":\"tenant\",\"tenantId\":\"" + tenant + "\"}").await().atMost(Duration.ofSeconds(2));
        Awaitility.await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                bearer(first).get("/api/v1/workflows").then().statusCode(403));
    }

    @Test
    void theTenantEventsAreTheBackstopWhenPubSubIsMissed() throws Exception {
        Key key = FakeKeys.register("developer", false, 1000, null);
        bearer(key).get("/api/v1/workflows").then().statusCode(200);
        FakeKeys.forget(key);
        NexusEvent<ApiKeyRevoked> revoked = NexusEvent.of(java.util.UUID.randomUUID().toString(), "tenant-service",
                Instant.now(), new ApiKeyRevoked(key.keyId(), key.tenantId(), Instant.now()));
        // The consumer reads from the latest offset: keep announcing until its assignment has happened.
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            produce("test.nexus.tenants", key.tenantId(), new EventCodec().encode(revoked));
            bearer(key).get("/api/v1/workflows").then().statusCode(401);
        });
    }

    @Test
    void theNPlusFirstCallInTheWindowIs429WithRetryAfter() {
        Key key = FakeKeys.register("viewer", false, 3, null);
        for (int i = 3; i > 0; i--) {
            bearer(key).get("/api/v1/workflows").then()
                    .statusCode(200)
                    .header("RateLimit-Limit", "3")
                    .header("RateLimit-Remaining", Integer.toString(i - 1));
        }
        var refused = bearer(key).get("/api/v1/workflows").then()
                .statusCode(429)
                .contentType(containsString("application/problem+json"))
                .body("type", equalTo("urn:nexus:problem:too-many-requests"))
                .header("RateLimit-Remaining", "0")
                .extract();
        String retryAfter = refused.header("Retry-After");
        assertEquals(retryAfter, refused.header("RateLimit-Reset"), "on a 429 both say when to come back");
        long seconds = Long.parseLong(retryAfter);
        assertTrue(seconds >= 1 && seconds <= 20, "one token comes back every 20 s at 3 per minute: " + seconds);
        // The platform admin is never limited.
        for (int i = 0; i < 5; i++) {
            given().header("X-API-Key", "test-platform-admin-key-0123456789").get("/api/v1/tenants").then()
                    .statusCode(200);
        }
    }

    @Test
    void aLoweredLimitClampsTheBucketAtOnce() {
        String tenant = java.util.UUID.randomUUID().toString();
        Key generous = FakeKeys.register(tenant, "viewer", false, 100, null);
        bearer(generous).get("/api/v1/workflows").then().statusCode(200).header("RateLimit-Remaining", "99");
        Key strict = FakeKeys.register(tenant, "viewer", false, 2, null);
        bearer(strict).get("/api/v1/workflows").then().statusCode(200).header("RateLimit-Limit", "2")
                .header("RateLimit-Remaining", "1");
        bearer(strict).get("/api/v1/workflows").then().statusCode(200);
        bearer(strict).get("/api/v1/workflows").then().statusCode(429);
        assertEquals(3, meteredCalls(tenant), "admitted calls are metered for the tenant's usage");
    }

    @Test
    void callsAdmittedFromLeasedTokensAreMeteredWithinAboutASecond() {
        String tenant = java.util.UUID.randomUUID().toString();
        Key key = FakeKeys.register(tenant, "viewer", false, 600_000, null); // spare tokens: most calls skip Redis
        for (int i = 0; i < 30; i++) {
            bearer(key).get("/api/v1/workflows").then().statusCode(200).header("RateLimit-Limit", "600000");
        }
        Awaitility.await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertEquals(30, meteredCalls(tenant)));
    }

    /** The tenant's metered calls of this minute and the one before: a test's calls may straddle a minute. */
    private long meteredCalls(String tenant) {
        long minute = System.currentTimeMillis() / 60_000;
        long calls = 0;
        for (long m = minute - 1; m <= minute; m++) {
            String counted = redis.value(String.class).get("test:nexus:usage:" + tenant + ":calls:" + m)
                    .await().atMost(Duration.ofSeconds(2));
            calls += counted == null ? 0 : Long.parseLong(counted);
        }
        return calls;
    }

    private void produce(String topic, String key, byte[] value) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", bootstrapServers,
                "key.serializer", StringSerializer.class.getName(),
                "value.serializer", ByteArraySerializer.class.getName()))) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    private static RequestSpecification bearer(Key key) {
        return given().header("Authorization", "Bearer " + key.key());
    }

}
