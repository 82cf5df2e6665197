package io.nexus.common.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import jakarta.inject.Inject;

import io.nexus.common.identity.IdentityConfig;
import io.nexus.common.identity.IdentityTokens;
import io.restassured.RestAssured;
import io.restassured.builder.RequestSpecBuilder;
import io.restassured.http.ContentType;

/**
 * The foundation contract every Nexus service proves against itself, running as a {@code @QuarkusTest} on real
 * PostgreSQL, Redis and Kafka: health endpoints, docs/api.md §7 metrics from the first scrape, OpenAPI, and the §3 error
 * format for validation, malformed bodies, unknown routes and unexpected failures.
 */
public abstract class ServiceContractTest {

    protected static final String PROBE = "/test-support/probe";

    @ConfigProperty(name = "quarkus.application.name")
    String applicationName;

    /** {@code quarkus.application.name}, the value of the {@code service} label. */
    protected String serviceName() {
        return applicationName;
    }

    /** Readiness checks that must be present and UP, by name: Kafka (never gating), Redis where the service uses it. */
    protected Set<String> requiredReadinessChecks() {
        Set<String> checks = new HashSet<>(Set.of("kafka"));
        var config = ConfigProvider.getConfig();
        if (config.getOptionalValue("quarkus.redis.hosts", String.class).isPresent()
                && config.getOptionalValue("quarkus.redis.health.enabled", Boolean.class).orElse(true)) {
            checks.add("Redis connection health check");
        }
        return checks;
    }

    /** Prometheus sample names this service must export in addition to the ones every service exports. */
    protected List<String> serviceMetrics() {
        return List.of();
    }

    @Inject
    IdentityTokens identityTokens;

    @Inject
    IdentityConfig identityConfig;

    @BeforeAll
    static void logFailures() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    /** Every request below carries what the gateway would forward for a developer key, unless a test says otherwise. */
    @BeforeEach
    void actAsAGatewayForwardedDeveloper() {
        RestAssured.requestSpecification = new RequestSpecBuilder()
                .addHeader(IdentityTokens.HEADER, identityTokens.sign(TestIdentities.developer("tenant-contract")))
                .build();
    }

    @AfterEach
    void forgetIdentity() {
        RestAssured.requestSpecification = null;
    }

    @Test
    void livenessIsUp() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void startupIsUp() {
        given().get("/q/health/started").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void readinessIsUpAgainstRealDependencies() {
        List<String> checks = given().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .extract().jsonPath().getList("checks.findAll { it.status == 'UP' }.name");
        assertTrue(checks.containsAll(requiredReadinessChecks()),
                "readiness checks UP " + checks + " must include " + requiredReadinessChecks());
    }

    @Test
    void kafkaIsReportedInReadinessDataWithoutGatingIt() {
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then()
                .statusCode(200)
                .body("checks.find { it.name == 'kafka' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'kafka' }.data.kafka", equalTo("up")));
    }

    @Test
    void contractMetricsAreExportedWithTheServiceLabel() {
        PrometheusScrape scrape = scrape();
        Map<String, String> service = Map.of("service", serviceName());
        List<String> missing = new ArrayList<>();
        for (String type : List.of("http_5xx", "consumer", "outbox", "dependency")) {
            if (!scrape.has("nexus_errors_total", Map.of("service", serviceName(), "type", type))) {
                missing.add("nexus_errors_total{type=" + type + "}");
            }
        }
        for (String channel : List.of("api", "cli", "mcp")) {
            if (!scrape.has("nexus_channel_request_duration_seconds_bucket",
                    Map.of("service", serviceName(), "channel", channel))) {
                missing.add("nexus_channel_request_duration_seconds_bucket{channel=" + channel + "}");
            }
        }
        List<String> names = new ArrayList<>(List.of("nexus_memory_usage_bytes"));
        names.addAll(serviceMetrics());
        for (String name : names) {
            if (!scrape.has(name, service)) {
                missing.add(name);
            }
        }
        assertTrue(missing.isEmpty(), "missing from /q/metrics: " + missing);
        assertTrue(scrape.sum("nexus_memory_usage_bytes", service).orElse(0) > 10_000_000,
                "resident memory of a JVM is more than 10 MB");
    }

    @Test
    void openApiDocumentIsServed() {
        given().accept("application/json").get("/q/openapi").then()
                .statusCode(200)
                .body("openapi", startsWith("3."));
    }

    @Test
    void validationReportsEveryViolationAtOnce() {
        String body = """
                {"name": 123, "count": 0, "items": [{"id": ""}, null, {"id": "ok", "extra": true}],
                 "quotas": {"workflows": -1, "sessions": "many"}, "mode": "teleport", "enabled": "yes",
                 "colour": "red"}
                """;
        given().contentType(ContentType.JSON).body(body).post(PROBE).then()
                .statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo("urn:nexus:problem:invalid-request"))
                .body("status", equalTo(400))
                .body("instance", equalTo(PROBE))
                .body("errors.field", containsInAnyOrder("name", "count", "items[0].id", "items[1]",
                        "items[2].extra", "quotas.workflows", "quotas.sessions", "mode", "enabled", "colour"))
                .body("errors.find { it.field == 'name' }.message", containsString("got number 123"))
                .body("errors.find { it.field == 'mode' }.message", containsString("[sync, async]"))
                .body("errors.find { it.field == 'quotas.workflows' }.message", containsString("got -1"))
                .body("errors.find { it.field == 'colour' }.message", equalTo("unknown field 'colour'"));
    }

    @Test
    void validBodyIsBoundExactly() {
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"probe\",\"count\":2,\"items\":[{\"id\":\"a\"}],\"quotas\":{\"w\":0},"
                        + "\"mode\":\"async\",\"enabled\":true}")
                .post(PROBE).then()
                .statusCode(200)
                .body("name", equalTo("probe"))
                .body("mode", equalTo("async"))
                .body("quotas.w", equalTo(0));
    }

    @Test
    void malformedOrNonObjectBodiesAreProblems() {
        given().contentType(ContentType.JSON).body("{\"name\": ").post(PROBE).then()
                .statusCode(400).contentType(startsWith("application/problem+json"))
                .body("detail", containsString("not valid JSON"));
        given().contentType(ContentType.JSON).body("[1, 2]").post(PROBE).then()
                .statusCode(400).body("detail", containsString("must be a JSON object"));
        given().contentType(ContentType.JSON).body("{\"name\":\"a\",\"name\":\"b\",\"count\":1}").post(PROBE).then()
                .statusCode(400).body("detail", containsString("Duplicate field 'name'"));
    }

    @Test
    void controlCharactersInPathOrQueryAreProblemsNamingWhere() {
        given().urlEncodingEnabled(false).get(PROBE + "/items/a%00b").then()
                .statusCode(400).contentType(startsWith("application/problem+json"))
                .body("errors[0].field", equalTo("path"))
                .body(not(containsString("\u0000")));
        given().urlEncodingEnabled(false).get(PROBE + "/items/a%01b").then()
                .statusCode(400).body("errors[0].field", equalTo("path"));
        given().urlEncodingEnabled(false).get(PROBE + "/items/x?cursor=a%00b&limit=5").then()
                .statusCode(400).contentType(startsWith("application/problem+json"))
                .body("errors.field", containsInAnyOrder("cursor"));
        given().urlEncodingEnabled(false).get(PROBE + "/items/x?note=line%0Aline").then().statusCode(200);
    }

    @Test
    void malformedPercentEscapesAreProblemsNamingTheParameter() throws IOException {
        for (String query : List.of("cursor=%ZZ", "limit=1&cursor=%E0%A4", "cursor=abc%")) {
            RawHttp.Answer answer = RawHttp.get(PROBE + "/items/x?" + query, Map.of(IdentityTokens.HEADER,
                    identityTokens.sign(TestIdentities.developer("tenant-contract"))));
            assertEquals(400, answer.status(), query + " → " + answer);
            assertTrue(String.valueOf(answer.header("Content-Type")).startsWith("application/problem+json"),
                    query + " → " + answer);
            assertEquals(List.of("cursor"), answer.json().getList("errors.field"), query + " → " + answer);
        }
    }

    @Test
    void nulInABodyStringOrKeyIsAProblemNamingTheField() {
        List<String> messages = given().contentType(ContentType.JSON)
                .body("{\"name\": \"a\\u0000b\", \"count\": 1, \"items\": [{\"id\": \"ok\"}, {\"id\": \"\\u0000\"}],"
                        + " \"quotas\": {\"k\\u0000\": 1}}")
                .post(PROBE).then()
                .statusCode(400).contentType(startsWith("application/problem+json"))
                .body("errors.field", containsInAnyOrder("name", "items[1].id", "quotas.k\\u0000"))
                .extract().jsonPath().getList("errors.message", String.class);
        assertFalse(messages.stream().anyMatch(message -> message.indexOf('\u0000') >= 0),
                "no raw NUL in the problem: " + messages);
    }

    @Test
    void trailingContentAfterTheBodyIsAProblem() {
        given().contentType(ContentType.JSON).body("{\"name\":\"a\",\"count\":1}{\"count\":2}").post(PROBE).then()
                .statusCode(400).contentType(startsWith("application/problem+json"));
        given().contentType(ContentType.JSON).body("{\"name\":\"a\",\"count\":1} x").post(PROBE).then()
                .statusCode(400).contentType(startsWith("application/problem+json"));
    }

    @Test
    void unknownRouteAnswersProblem404() {
        given().get("/api/v1/no-such-thing").then()
                .statusCode(404)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo("urn:nexus:problem:not-found"))
                .body("instance", equalTo("/api/v1/no-such-thing"));
    }

    @Test
    void unexpectedFailureAnswers500WithoutInternalsAndIsCounted() {
        Map<String, String> labels = Map.of("service", serviceName(), "type", "http_5xx");
        double before = scrape().sum("nexus_errors_total", labels).orElseThrow();
        String body = given().get(PROBE + "/failure").then()
                .statusCode(500)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo("urn:nexus:problem:internal"))
                .extract().asString();
        assertFalse(body.contains("10.0.0.7") || body.contains("Exception") || body.contains("at io."),
                "a 5xx must not leak internals: " + body);
        assertEquals(before + 1, scrape().sum("nexus_errors_total", labels).orElseThrow());
    }

    @Test
    void requestIdIsPropagatedOrGenerated() {
        given().header("X-Request-Id", "req-42").get(PROBE + "/items/x").then()
                .statusCode(200).header("X-Request-Id", equalTo("req-42"));
        given().get(PROBE + "/items/x").then()
                .statusCode(200).header("X-Request-Id", not(equalTo("")));
        given().header("X-Request-Id", "bad id with spaces").get(PROBE + "/items/x").then()
                .header("X-Request-Id", not(containsString(" ")));
    }

    @Test
    void requestDurationsAreLabelledByChannelAndRouteTemplate() {
        given().header("X-Nexus-Channel", "cli").get(PROBE + "/items/raw-id-7f3a").then().statusCode(200);
        PrometheusScrape scrape = scrape();
        assertTrue(scrape.has("nexus_channel_request_duration_seconds_count", Map.of("service", serviceName(),
                "channel", "cli", "method", "GET", "route", PROBE + "/items/{id}", "status", "200")));
        assertFalse(scrape.all().stream().anyMatch(s -> s.labels().containsValue(PROBE + "/items/raw-id-7f3a")),
                "raw ids must never become label values");
        assertTrue(scrape.samples("nexus_channel_request_duration_seconds_bucket", Map.of()).stream()
                .map(s -> s.labels().get("le")).toList().containsAll(List.of("0.2", "0.5")),
                "buckets at the runbook's p95/p99 thresholds");
        given().get("/q/metrics").then()
                .body(containsString("# TYPE nexus_channel_request_duration_seconds histogram"));
    }

    @Test
    void directCallsWithoutAValidIdentityAreRefused() {
        if (!identityConfig.required()) {
            return;
        }
        RestAssured.requestSpecification = null;
        given().get(PROBE + "/items/x").then()
                .statusCode(401).contentType(startsWith("application/problem+json"))
                .body("type", equalTo("urn:nexus:problem:unauthorized"));
        given().header(IdentityTokens.HEADER, "not-a-token").get(PROBE + "/items/x").then().statusCode(401);
        for (String forged : TestIdentities.forgeries(TestIdentities.developer("tenant-contract"))) {
            given().header(IdentityTokens.HEADER, forged).get(PROBE + "/items/x").then().statusCode(401);
        }
        given().header(IdentityTokens.HEADER, identityTokens.sign(TestIdentities.service()))
                .get(PROBE + "/items/x").then().statusCode(403);
        // The /internal/ gate judges the normalised path: a dot segment, encoded or not, cannot walk out of it.
        for (String escape : List.of("/internal/%2e%2e" + PROBE + "/items/x", "/internal/%2E%2E" + PROBE + "/items/x",
                "/internal/..%2f.." + PROBE + "/items/x")) {
            given().urlEncodingEnabled(false).header(IdentityTokens.HEADER, identityTokens.sign(TestIdentities.service()))
                    .get(escape).then().statusCode(400).contentType(startsWith("application/problem+json"))
                    .body("errors[0].field", equalTo("path"));
        }
        // Health, metrics and OpenAPI stay open to probes and scrapers.
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
    }

    protected static PrometheusScrape scrape() {
        return new PrometheusScrape(given().get("/q/metrics").then().statusCode(200).extract().asString());
    }
}
