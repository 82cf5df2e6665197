package io.nexus.workflow.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;

import io.nexus.workflow.definition.CompiledWorkflow;
import io.nexus.workflow.definition.DefinitionParser;
import io.nexus.workflow.definition.ParsedDefinition;
import io.nexus.workflow.engine.http.AddressResolver;
import io.nexus.workflow.engine.http.HttpCallFailure;
import io.nexus.workflow.engine.http.HttpCallResult;
import io.nexus.workflow.engine.http.HttpCallSpec;
import io.nexus.workflow.engine.http.OutboundPolicy;
import io.nexus.workflow.engine.http.SafeHttpClient;
import io.nexus.workflow.expression.EvaluationContext;
import io.nexus.workflow.expression.ExpressionEngine;
import io.nexus.workflow.expression.ExpressionLimits;
import io.vertx.core.Vertx;

/** An http node's request evaluation and outcome mapping, and the production address rule, without the service. */
class HttpNodeCallsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DefinitionParser PARSER = new DefinitionParser(new ExpressionEngine(ExpressionLimits.DEFAULTS));
    private static final Instant NOW = Instant.parse("2026-12-04T21:00:00Z");
    private static final UUID EXECUTION = UUID.fromString("01890a5d-ac96-774b-bcce-b302099a8057");
    private static Vertx vertx;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    @Test
    void evaluatesUrlHeadersAndBodyIntoOneRequest() throws Exception {
        CompiledWorkflow workflow = workflow("""
                {"id": "post", "type": "http", "timeoutMs": 8000, "config": {"method": "POST",
                 "url": "'https://api.example.com/orders/' + string(inputs.id)",
                 "headers": {"Authorization": "'Bearer ' + inputs.user", "X-Count": "string(size(inputs.items))"},
                 "body": "{'id': inputs.id, 'items': inputs.items}", "timeoutMs": 5000}}""");

        HttpNodeCalls.Request request = HttpNodeCalls.request(workflow, workflow.definition().nodes().get(0),
                context("{\"id\": 7, \"user\": \"alice\", \"items\": [1, 2]}"), EXECUTION);

        assertFalse(request.failed(), () -> String.valueOf(request.failure()));
        HttpCallSpec spec = request.spec();
        assertEquals("POST", spec.method());
        assertEquals("https://api.example.com/orders/7", spec.url());
        assertEquals(Map.of("Authorization", "Bearer alice", "X-Count", "2"), spec.headers());
        assertEquals(JSON.readTree("{\"id\": 7, \"items\": [1, 2]}"), spec.body());
        assertEquals(Duration.ofMillis(5000), spec.timeout(), "the tighter of node and config timeoutMs");
        assertEquals(EXECUTION + ":post", spec.idempotencyKey());
    }

    @Test
    void aRequestWithoutBodyOrTimeoutsLeavesThemToTheClient() {
        CompiledWorkflow workflow = workflow("""
                {"id": "get", "type": "http", "timeoutMs": 700,
                 "config": {"method": "GET", "url": "'https://api.example.com/'"}}""");

        HttpCallSpec spec = HttpNodeCalls.request(workflow, workflow.definition().nodes().get(0), context("{}"),
                EXECUTION).spec();

        assertNull(spec.body());
        assertEquals(Map.of(), spec.headers());
        assertEquals(Duration.ofMillis(700), spec.timeout(), "the node's per-attempt limit alone");
        assertNull(HttpNodeCalls.timeout(workflow("""
                {"id": "get", "type": "http", "config": {"method": "GET", "url": "'https://api.example.com/'"}}""")
                .definition().nodes().get(0)), "neither set: the client's maximum applies");
    }

    @Test
    void aHeaderExpressionOfTheWrongTypeFailsWithoutShowingItsValue() {
        CompiledWorkflow workflow = workflow("""
                {"id": "get", "type": "http", "config": {"method": "GET", "url": "'https://api.example.com/'",
                 "headers": {"X-Pin": "inputs.pin"}}}""");

        HttpNodeCalls.Request request = HttpNodeCalls.request(workflow, workflow.definition().nodes().get(0),
                context("{\"pin\": 987654}"), EXECUTION);

        assertTrue(request.failed());
        assertEquals("expression", request.failure().error().code());
        assertTrue(request.failure().error().message().startsWith("headers.X-Pin: expected a string"),
                request.failure().error().message());
        assertFalse(request.failure().error().message().contains("987654"), request.failure().error().message());
    }

    @Test
    void aFailingUrlOrBodyExpressionFailsWithItsCode() {
        CompiledWorkflow workflow = workflow("""
                {"id": "post", "type": "http", "config": {"method": "POST", "url": "'https://x.example/' + inputs.path",
                 "body": "inputs.n / 0"}}""");
        var node = workflow.definition().nodes().get(0);

        NodeOutcome url = HttpNodeCalls.request(workflow, node, context("{}"), EXECUTION).failure();
        assertEquals("expression", url.error().code());
        assertTrue(url.error().message().startsWith("url: "), url.error().message());

        NodeOutcome body = HttpNodeCalls.request(workflow, node, context("{\"path\": \"a\", \"n\": 1}"), EXECUTION)
                .failure();
        assertEquals("expression", body.error().code());
        assertTrue(body.error().message().startsWith("body: "), body.error().message());
    }

    @Test
    void responsesBelow400AreTheOutputAndOthersFailWithHttp() throws Exception {
        HttpCallSpec spec = new HttpCallSpec("get", "https://api.example.com/a/b?token=s3cr3t", Map.of(), null, null,
                null);

        NodeOutcome ok = HttpNodeCalls.outcome(spec, new HttpCallResult(201, Map.of("x-id", "1"),
                JSON.readTree("{\"ok\": true}")), NOW);
        assertEquals(JSON.readTree("{\"status\": 201, \"headers\": {\"x-id\": \"1\"}, \"body\": {\"ok\": true}}"),
                ok.output());
        NodeOutcome empty = HttpNodeCalls.outcome(spec, new HttpCallResult(204, Map.of(), null), NOW);
        assertTrue(empty.output().get("body").isNull());
        assertFalse(HttpNodeCalls.outcome(spec, new HttpCallResult(302, Map.of(), null), NOW).failed(),
                "a 3xx the client did not follow is a result");

        for (int status : new int[] {400, 404, 429, 500, 503}) {
            NodeOutcome failed = HttpNodeCalls.outcome(spec, new HttpCallResult(status, Map.of(),
                    TextNode.valueOf("details")), NOW);
            assertEquals("http", failed.error().code(), "status " + status);
            assertEquals("GET https://api.example.com/a/b answered " + status, failed.error().message());
            assertNull(failed.output(), "a failed attempt's response is not kept");
        }
    }

    @Test
    void onlyTimeoutsTooEarlyTooManyRequestsAndServerErrorsAreRetried() {
        HttpCallSpec spec = new HttpCallSpec("get", "https://api.example.com/a", Map.of(), null, null, null);
        for (int status : new int[] {408, 425, 429, 500, 502, 503, 504, 599}) {
            assertTrue(HttpNodeCalls.outcome(spec, new HttpCallResult(status, Map.of(), null), NOW).retryable(),
                    "status " + status + " is worth another attempt");
        }
        for (int status : new int[] {400, 401, 403, 404, 405, 409, 410, 413, 422, 451}) {
            assertFalse(HttpNodeCalls.outcome(spec, new HttpCallResult(status, Map.of(), null), NOW).retryable(),
                    "status " + status + " fails at once");
        }
    }

    @Test
    void connectionFailuresAndTimeoutsAreRetriedRefusalsAreNot() {
        assertTrue(HttpNodeCalls.failed(new HttpCallFailure(HttpCallFailure.HTTP, "connection refused")).retryable());
        assertTrue(HttpNodeCalls.failed(new HttpCallFailure(HttpCallFailure.TIMEOUT, "deadline")).retryable());
        assertTrue(HttpNodeCalls.failed(new IllegalStateException("reset")).retryable());
        for (String code : new String[] {HttpCallFailure.FORBIDDEN_TARGET, HttpCallFailure.LIMIT,
                HttpCallFailure.INVALID_REQUEST}) {
            NodeOutcome outcome = HttpNodeCalls.failed(new HttpCallFailure(code, "no"));
            assertFalse(outcome.retryable(), code);
            assertEquals(code, outcome.error().code());
        }
    }

    @Test
    void aResponseHoldingANulCharacterFailsWithLimitInsteadOfPoisoningTheCommit() throws Exception {
        HttpCallSpec spec = new HttpCallSpec("get", "https://api.example.com/a", Map.of(), null, null, null);

        for (JsonNode body : new JsonNode[] {TextNode.valueOf("a\u0000b"), JSON.readTree("{\"k\": [\"\\u0000\"]}"),
                JSON.readTree("{\"\\u0000\": 1}")}) {
            NodeOutcome outcome = HttpNodeCalls.outcome(spec, new HttpCallResult(200, Map.of(), body), NOW);
            assertEquals("limit", outcome.error().code(), body.toString());
            assertFalse(outcome.retryable(), "the same answer would fail again");
        }
    }

    @Test
    void honoursRetryAfterInSecondsOrAsAnHttpDate() {
        HttpCallSpec spec = new HttpCallSpec("get", "https://api.example.com/a", Map.of(), null, null, null);

        assertEquals(7_000, HttpNodeCalls.outcome(spec, new HttpCallResult(429, Map.of("retry-after", "7"), null),
                NOW).retryAfterMs());
        assertEquals(90_000, HttpNodeCalls.outcome(spec, new HttpCallResult(503,
                Map.of("retry-after", "Fri, 04 Dec 2026 21:01:30 GMT"), null), NOW).retryAfterMs());
        assertEquals(0, HttpNodeCalls.retryAfterMs("Fri, 04 Dec 2026 20:00:00 GMT", NOW), "a date in the past");
        assertEquals(0, HttpNodeCalls.retryAfterMs("soon", NOW));
        assertEquals(0, HttpNodeCalls.retryAfterMs(null, NOW));
    }

    @Test
    void theDefaultPolicyRefusesLoopbackAndMetadataTargets() {
        SafeHttpClient client = new SafeHttpClient(vertx, OutboundPolicy.defaults(), AddressResolver.system(vertx));
        try {
            for (String url : new String[] {"http://127.0.0.1:8082/q/health", "http://localhost:5432/",
                    "http://169.254.169.254/latest/meta-data/", "http://[::ffff:127.0.0.1]/"}) {
                CompiledWorkflow workflow = workflow("""
                        {"id": "probe", "type": "http", "config": {"method": "GET", "url": "inputs.url",
                         "headers": {"Authorization": "'Bearer ' + inputs.token"}}}""");
                HttpCallSpec spec = HttpNodeCalls.request(workflow, workflow.definition().nodes().get(0),
                        context("{\"url\": \"" + url + "\", \"token\": \"t0k3n\"}"), EXECUTION).spec();

                NodeOutcome outcome = HttpNodeCalls.call(client, spec).await().atMost(Duration.ofSeconds(20));

                assertTrue(outcome.failed(), url);
                assertEquals("forbidden-target", outcome.error().code(), url + ": " + outcome.error());
                assertFalse(outcome.error().message().contains("t0k3n"), outcome.error().message());
            }
        } finally {
            client.close();
        }
    }

    private static CompiledWorkflow workflow(String node) {
        try {
            ParsedDefinition parsed = PARSER.parse(JSON.readTree("{\"name\": \"calls\", \"nodes\": [" + node + "]}"));
            if (!parsed.valid()) {
                throw new AssertionError("invalid definition: " + parsed.errors());
            }
            return parsed.workflow();
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static EvaluationContext context(String inputs) {
        try {
            JsonNode parsed = JSON.readTree(inputs);
            return EvaluationContext.ofInputs(parsed);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
