package io.nexus.workflow;

import static io.nexus.workflow.WorkflowFixtures.developer;
import static io.nexus.workflow.WorkflowFixtures.execution;
import static io.nexus.workflow.WorkflowFixtures.newTenant;
import static io.nexus.workflow.WorkflowFixtures.register;
import static io.nexus.workflow.WorkflowFixtures.single;
import static io.nexus.workflow.WorkflowFixtures.slow;
import static io.nexus.workflow.WorkflowFixtures.threeSteps;
import static io.nexus.workflow.WorkflowFixtures.unique;
import static io.nexus.workflow.WorkflowFixtures.viewer;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.nexus.common.identity.IdentityTokens;
import io.nexus.common.testing.CallerSpecs;
import io.nexus.common.testing.PrometheusScrape;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Executions: the DAG semantics of docs/api.md §5 and the start/read/cancel API of docs/api.md §4, on real PostgreSQL. */
@QuarkusTest
class ExecutionApiTest {

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
    void runsASyncExecutionAndRecordsEveryStep() {
        String tenant = newTenant();
        String name = register(callers, tenant, threeSteps(unique("sync")));
        String id = callers.as(developer(tenant)).body("{\"inputs\": {\"x\": 5}}")
                .post("/api/v1/workflows/" + name + "/executions").then()
                .statusCode(200)
                .body("status", equalTo("completed"))
                .body("outputs.shape.result", equalTo(11))
                .body("outputs.shape.big", equalTo(true))
                .body("error", nullValue())
                .body("durationMs", notNullValue())
                .extract().path("executionId");
        callers.as(viewer(tenant)).get("/api/v1/executions/" + id).then()
                .statusCode(200)
                .body("workflow", equalTo(name))
                .body("version", equalTo(1))
                .body("status", equalTo("completed"))
                .body("channel", equalTo("api"))
                .body("inputs.x", equalTo(5))
                .body("steps.node", equalTo(List.of("double", "inc", "shape")))
                .body("steps.status", equalTo(List.of("completed", "completed", "completed")))
                .body("steps[1].output.z", equalTo(11))
                .body("steps[0].attempts", equalTo(1))
                .body("finishedAt", notNullValue());
        assertEquals(1L, count("SELECT count(*) FROM outbox_event WHERE aggregate_id = $1 "
                + "AND event_type = 'nexus.execution.started'", id));
        assertEquals(1L, count("SELECT count(*) FROM outbox_event WHERE aggregate_id = $1 "
                + "AND event_type = 'nexus.execution.completed'", id));
        assertEquals(0L, count("SELECT count(*) FROM outbox_event WHERE aggregate_id = $1 "
                + "AND event_type = 'nexus.execution.step.completed'", id), "only workflows with events: steps");
    }

    @Test
    void conditionsTakeOneBranchAndSkipTheOtherThroughToItsEnd() {
        String tenant = newTenant();
        String name = register(callers, tenant, """
                {"name": "%s",
                 "nodes": [{"id": "check", "type": "condition", "config": {"expression": "inputs.amount > 100"}},
                           {"id": "big", "type": "transform", "config": {"expression": "'review'"}},
                           {"id": "big_audit", "type": "transform", "config": {"expression": "nodes.big + '!'"}},
                           {"id": "small", "type": "transform", "config": {"expression": "'auto'"}},
                           {"id": "join", "type": "transform",
                            "config": {"expression": "has(nodes.big) ? nodes.big : nodes.small"}}],
                 "edges": [{"from": "check", "to": "big", "when": "nodes.check"},
                           {"from": "check", "to": "small", "when": "!nodes.check"},
                           {"from": "big", "to": "big_audit"},
                           {"from": "big", "to": "join"}, {"from": "small", "to": "join"}]}
                """.formatted(unique("branches")));
        JsonPath small = start(tenant, name, "{\"inputs\": {\"amount\": 5}}", 200);
        assertEquals("auto", small.getString("outputs.join"));
        JsonPath steps = execution(callers, tenant, small.getString("executionId"));
        assertEquals(Map.of("check", "completed", "big", "skipped", "big_audit", "skipped", "small", "completed",
                "join", "completed"), statuses(steps));
        JsonPath big = start(tenant, name, "{\"inputs\": {\"amount\": 500}}", 200);
        assertEquals("review", big.getString("outputs.join"));
        assertEquals("review!", big.getString("outputs.big_audit"));
        assertEquals("skipped", statuses(execution(callers, tenant, big.getString("executionId"))).get("small"));
    }

    @Test
    void independentBranchesAllRunAndTheDefaultOutputHoldsEveryLeaf() {
        String tenant = newTenant();
        String name = register(callers, tenant, """
                {"name": "%s",
                 "nodes": [{"id": "a", "type": "transform", "config": {"expression": "inputs.n + 1"}},
                           {"id": "b", "type": "transform", "config": {"expression": "inputs.n + 2"}},
                           {"id": "c", "type": "transform", "config": {"expression": "[1, 2, 3].map(v, v * inputs.n)"}}]}
                """.formatted(unique("parallel")));
        JsonPath result = start(tenant, name, "{\"inputs\": {\"n\": 10}}", 200);
        assertEquals(11, result.getInt("outputs.a"));
        assertEquals(12, result.getInt("outputs.b"));
        assertEquals(List.of(10, 20, 30), result.getList("outputs.c"));
    }

    @Test
    void retriesThenFailsTheExecutionNamingTheNode() {
        String tenant = newTenant();
        String name = register(callers, tenant, """
                {"name": "%s",
                 "nodes": [{"id": "divide", "type": "transform", "config": {"expression": "inputs.x / 0"},
                            "retry": {"maxAttempts": 3, "backoffMs": 10}},
                           {"id": "after", "type": "transform", "config": {"expression": "1"}}],
                 "edges": [{"from": "divide", "to": "after"}]}
                """.formatted(unique("retries")));
        JsonPath result = start(tenant, name, "{\"inputs\": {\"x\": 1}}", 200);
        assertEquals("failed", result.getString("status"));
        assertEquals("expression", result.getString("error.code"));
        assertEquals("divide", result.getString("error.node"));
        JsonPath execution = execution(callers, tenant, result.getString("executionId"));
        assertEquals(3, execution.getInt("steps.find { it.node == 'divide' }.attempts"));
        assertEquals("failed", execution.getString("steps.find { it.node == 'divide' }.status"));
        assertEquals("cancelled", execution.getString("steps.find { it.node == 'after' }.status"));
    }

    @Test
    void onErrorContinueHandsTheErrorToTheNextNodes() {
        String tenant = newTenant();
        String name = register(callers, tenant, """
                {"name": "%s",
                 "nodes": [{"id": "risky", "type": "transform", "config": {"expression": "inputs.missing.deeper"},
                            "onError": "continue"},
                           {"id": "report", "type": "transform", "config": {"expression": "nodes.risky.error.code"}}],
                 "edges": [{"from": "risky", "to": "report"}]}
                """.formatted(unique("continue")));
        JsonPath result = start(tenant, name, "{}", 200);
        assertEquals("completed", result.getString("status"));
        assertEquals("expression", result.getString("outputs.report"));
        assertEquals("failed", statuses(execution(callers, tenant, result.getString("executionId"))).get("risky"));
    }

    @Test
    void aFailNodeFailsTheExecutionWithItsMessage() {
        String tenant = newTenant();
        String name = register(callers, tenant, """
                {"name": "%s",
                 "nodes": [{"id": "stop", "type": "fail", "config": {"message": "'no stock for ' + inputs.sku"}}]}
                """.formatted(unique("fail")));
        JsonPath result = start(tenant, name, "{\"inputs\": {\"sku\": \"A-1\"}}", 200);
        assertEquals("failed", result.getString("status"));
        assertEquals("failed", result.getString("error.code"));
        assertEquals("no stock for A-1", result.getString("error.message"));
        assertEquals("stop", result.getString("error.node"));
    }

    @Test
    void aSessionNodeOfAnExecutionStartedWithoutASessionFailsWithNotFound() {
        String tenant = newTenant();
        String name = register(callers, tenant, """
                {"name": "%s", "nodes": [{"id": "remember", "type": "session", "config": {"merge": "{'a': 1}"}}]}
                """.formatted(unique("session")));
        JsonPath result = start(tenant, name, "{}", 200);
        assertEquals("failed", result.getString("status"));
        assertEquals("not-found", result.getString("error.code"));
        assertEquals("the execution was started without a session (X-Nexus-Session)",
                result.getString("error.message"));
        assertEquals("remember", result.getString("error.node"));
    }

    @Test
    void anEventNodePublishesOnTheTenantsIntegrationTopicExactlyOnce() {
        String tenant = newTenant();
        String name = register(callers, tenant, """
                {"name": "%s", "events": "steps",
                 "nodes": [{"id": "shape", "type": "transform", "config": {"expression": "{'total': inputs.n * 3}"}},
                           {"id": "announce", "type": "event",
                            "config": {"type": "order.priced", "data": "{'total': nodes.shape.total}"}}],
                 "edges": [{"from": "shape", "to": "announce"}]}
                """.formatted(unique("event")));
        JsonPath result = start(tenant, name, "{\"inputs\": {\"n\": 7}}", 200);
        assertEquals("completed", result.getString("status"));
        String eventId = result.getString("outputs.announce.eventId");
        assertEquals(1L, count("SELECT count(*) FROM outbox_event WHERE event_id = $1::uuid "
                + "AND topic = 'test.nexus.integration." + tenant + "' AND event_type = 'order.priced' "
                + "AND payload::jsonb -> 'data' ->> 'total' = '21'", eventId));
        assertEquals(2L, count("SELECT count(*) FROM outbox_event WHERE aggregate_id = $1 "
                + "AND event_type = 'nexus.execution.step.completed'", result.getString("executionId")));
    }

    @Test
    void theExecutionDeadlineFailsItWithTimeout() {
        String tenant = newTenant();
        String name = register(callers, tenant, slow(unique("deadline"), 60_000));
        JsonPath result = start(tenant, name, "{\"timeoutMs\": 300}", 200);
        assertEquals("failed", result.getString("status"));
        assertEquals("timeout", result.getString("error.code"));
        assertTrue(result.getLong("durationMs") < 5_000, "the deadline, not the 60 s backoff, ended it");
    }

    @Test
    void aSyncStartThatOutlastsWaitMsAnswers202AndCanBeCancelled() {
        String tenant = newTenant();
        String name = register(callers, tenant, slow(unique("long"), 60_000));
        var accepted = callers.as(developer(tenant)).body("{\"waitMs\": 100}")
                .post("/api/v1/workflows/" + name + "/executions").then()
                .statusCode(202)
                .body("status", equalTo("running"))
                .extract();
        String id = accepted.path("executionId");
        assertEquals("/api/v1/executions/" + id, accepted.header("Location"));
        callers.as(developer(tenant)).post("/api/v1/executions/" + id + "/cancel").then()
                .statusCode(200)
                .body("status", equalTo("cancelled"))
                .body("error.code", equalTo("cancelled"));
        callers.as(developer(tenant)).post("/api/v1/executions/" + id + "/cancel").then().statusCode(409);
        assertEquals(1L, count("SELECT count(*) FROM outbox_event WHERE aggregate_id = $1 "
                + "AND event_type = 'nexus.execution.cancelled'", id));
    }

    @Test
    void asyncStartsAnswer202PendingAndComplete() {
        String tenant = newTenant();
        String name = register(callers, tenant, threeSteps(unique("async")));
        String id = callers.as(developer(tenant)).body("{\"inputs\": {\"x\": 1}, \"mode\": \"async\"}")
                .post("/api/v1/workflows/" + name + "/executions").then()
                .statusCode(202)
                .body("status", equalTo("pending"))
                .header("Location", notNullValue())
                .extract().path("executionId");
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                callers.as(developer(tenant)).get("/api/v1/executions/" + id).then()
                        .body("status", equalTo("completed"))
                        .body("outputs.shape.result", equalTo(3)));
    }

    @Test
    void executionsStayOnTheVersionTheyStartedWith() {
        String tenant = newTenant();
        String name = unique("pinned");
        register(callers, tenant, single(name, "'v1'"));
        callers.as(developer(tenant)).body(single(name, "'v2'")).put("/api/v1/workflows/" + name).then()
                .statusCode(200);
        assertEquals("v2", start(tenant, name, "{}", 200).getString("outputs.only"));
        JsonPath first = start(tenant, name, "{\"version\": 1}", 200);
        assertEquals("v1", first.getString("outputs.only"));
        assertEquals(1, execution(callers, tenant, first.getString("executionId")).getInt("version"));
        callers.as(developer(tenant)).body("{\"version\": 7}").post("/api/v1/workflows/" + name + "/executions")
                .then().statusCode(404);
    }

    /**
     * A start reuses the version it resolved last time for the same workflow, checked by the start statement itself:
     * a change made since (here through this replica's API, as another replica would) is seen at once.
     */
    @Test
    void aStartSeesEveryChangeToItsWorkflowSinceTheLastStart() {
        String tenant = newTenant();
        String name = unique("moving");
        register(callers, tenant, single(name, "'v1'"));
        assertEquals("v1", start(tenant, name, "{}", 200).getString("outputs.only"));
        assertEquals("v1", start(tenant, name, "{\"version\": 1}", 200).getString("outputs.only"));

        callers.as(developer(tenant)).body(single(name, "'v2'")).put("/api/v1/workflows/" + name).then()
                .statusCode(200);
        JsonPath latest = start(tenant, name, "{}", 200);
        assertEquals("v2", latest.getString("outputs.only"));
        assertEquals(2, execution(callers, tenant, latest.getString("executionId")).getInt("version"));

        callers.as(developer(tenant)).delete("/api/v1/workflows/" + name).then().statusCode(204);
        callers.as(developer(tenant)).body("{}").post("/api/v1/workflows/" + name + "/executions")
                .then().statusCode(404);
        callers.as(developer(tenant)).body("{\"version\": 1}").post("/api/v1/workflows/" + name + "/executions")
                .then().statusCode(404);

        register(callers, tenant, single(name, "'again'"));
        assertEquals("again", start(tenant, name, "{\"version\": 1}", 200).getString("outputs.only"));
        assertEquals("again", start(tenant, name, "{}", 200).getString("outputs.only"));
    }

    @Test
    void runningExecutionsFinishAfterTheirWorkflowIsDeleted() {
        String tenant = newTenant();
        String name = register(callers, tenant, """
                {"name": "%s", "nodes": [{"id": "wobbly", "type": "transform",
                  "config": {"expression": "inputs.x / 0"}, "retry": {"maxAttempts": 3, "backoffMs": 300}}]}
                """.formatted(unique("deleted")));
        String id = callers.as(developer(tenant)).body("{\"inputs\": {\"x\": 1}, \"mode\": \"async\"}")
                .post("/api/v1/workflows/" + name + "/executions").then().statusCode(202)
                .extract().path("executionId");
        callers.as(developer(tenant)).delete("/api/v1/workflows/" + name).then().statusCode(204);
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                callers.as(developer(tenant)).get("/api/v1/executions/" + id).then()
                        .body("status", equalTo("failed"))
                        .body("steps[0].attempts", equalTo(3)));
    }

    @Test
    void inputsAreValidatedAgainstTheSchemaBeforeAnExecutionExists() {
        String tenant = newTenant();
        String name = register(callers, tenant, threeSteps(unique("schema")));
        callers.as(developer(tenant)).body("{\"inputs\": {\"x\": \"five\"}}")
                .post("/api/v1/workflows/" + name + "/executions").then()
                .statusCode(400)
                .body("errors.field", hasItem(containsString("inputs")))
                .body("errors.message", hasItem(containsString("five")));
        callers.as(developer(tenant)).body("{\"inputs\": {}}").post("/api/v1/workflows/" + name + "/executions")
                .then().statusCode(400);
        callers.as(developer(tenant)).body("{\"mode\": \"fast\", \"waitMs\": -1, \"inputs\": 3, \"extra\": true}")
                .post("/api/v1/workflows/" + name + "/executions").then()
                .statusCode(400)
                .body("errors.field", hasItem("mode"))
                .body("errors.field", hasItem("waitMs"))
                .body("errors.field", hasItem("extra"));
        assertEquals(0L, count("SELECT count(*) FROM executions WHERE tenant_id = $1::uuid", tenant));
    }

    @Test
    void anotherTenantCannotSeeOrCancelExecutions() {
        String owner = newTenant();
        String stranger = newTenant();
        String name = register(callers, owner, slow(unique("mine"), 60_000));
        String id = callers.as(developer(owner)).body("{\"mode\": \"async\"}")
                .post("/api/v1/workflows/" + name + "/executions").then().statusCode(202)
                .extract().path("executionId");
        callers.as(developer(stranger)).get("/api/v1/executions/" + id).then().statusCode(404);
        callers.as(developer(stranger)).post("/api/v1/executions/" + id + "/cancel").then().statusCode(404);
        callers.as(developer(stranger)).get("/api/v1/executions").then().statusCode(200).body("items", hasSize(0));
        callers.as(developer(stranger)).body("{}").post("/api/v1/workflows/" + name + "/executions").then()
                .statusCode(404);
        callers.as(developer(owner)).post("/api/v1/executions/" + id + "/cancel").then().statusCode(200);
    }

    @Test
    void listsFilterByWorkflowAndStatusNewestFirst() {
        String tenant = newTenant();
        String ok = register(callers, tenant, threeSteps(unique("ok")));
        String bad = register(callers, tenant, single(unique("bad"), "1 / 0"));
        start(tenant, ok, "{\"inputs\": {\"x\": 1}}", 200);
        String latest = start(tenant, ok, "{\"inputs\": {\"x\": 2}}", 200).getString("executionId");
        start(tenant, bad, "{}", 200);
        callers.as(viewer(tenant)).get("/api/v1/executions?workflow=" + ok).then().statusCode(200)
                .body("items", hasSize(2)).body("items[0].id", equalTo(latest));
        callers.as(viewer(tenant)).get("/api/v1/executions?status=failed").then().statusCode(200)
                .body("items", hasSize(1)).body("items[0].workflow", equalTo(bad));
        var page = callers.as(viewer(tenant)).get("/api/v1/executions?limit=2").then().statusCode(200)
                .body("items", hasSize(2)).body("nextCursor", notNullValue()).extract();
        callers.as(viewer(tenant)).get("/api/v1/executions?limit=2&cursor=" + page.path("nextCursor")).then()
                .body("items", hasSize(1)).body("nextCursor", nullValue());
        callers.as(viewer(tenant)).get("/api/v1/executions?status=sleeping").then().statusCode(400)
                .body("errors[0].field", equalTo("status"));
    }

    @Test
    void anIdempotencyKeyReplaysTheFirstResult() {
        String tenant = newTenant();
        String name = register(callers, tenant, threeSteps(unique("idem")));
        String body = "{\"inputs\": {\"x\": 4}}";
        JsonPath first = callers.as(developer(tenant)).header("Idempotency-Key", "order-1").body(body)
                .post("/api/v1/workflows/" + name + "/executions").then().statusCode(200).extract().jsonPath();
        callers.as(developer(tenant)).header("Idempotency-Key", "order-1").body(body)
                .post("/api/v1/workflows/" + name + "/executions").then()
                .statusCode(200)
                .body("executionId", equalTo(first.getString("executionId")))
                .body("outputs.shape.result", equalTo(9));
        callers.as(developer(tenant)).header("Idempotency-Key", "order-1").body("{\"inputs\": {\"x\": 5}}")
                .post("/api/v1/workflows/" + name + "/executions").then().statusCode(422);
        callers.as(developer(newTenant())).header("Idempotency-Key", "order-1").body(body)
                .post("/api/v1/workflows/" + name + "/executions").then().statusCode(404);
        assertEquals(1L, count("SELECT count(*) FROM executions WHERE tenant_id = $1::uuid", tenant));
    }

    @Test
    void anIdempotencyKeyWhoseFirstRequestIsStillRunningIs409() {
        String tenant = newTenant();
        String name = register(callers, tenant, slow(unique("idem-slow"), 60_000));
        var firstRequest = CompletableFuture.supplyAsync(() -> callers.as(developer(tenant))
                .header("Idempotency-Key", "k-2").body("{\"waitMs\": 3000}")
                .post("/api/v1/workflows/" + name + "/executions").then().extract().statusCode());
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() ->
                count("SELECT count(*) FROM executions WHERE tenant_id = $1::uuid", tenant) == 1L);
        callers.as(developer(tenant)).header("Idempotency-Key", "k-2").body("{\"waitMs\": 3000}")
                .post("/api/v1/workflows/" + name + "/executions").then()
                .statusCode(409).body("detail", containsString("in progress"));
        assertEquals(202, firstRequest.join());
    }

    @Test
    void aHostileExpressionFailsWithLimitWithoutStallingTheService() {
        String tenant = newTenant();
        String name = register(callers, tenant, single(unique("hostile"),
                "[1,2,3,4,5,6,7,8,9,10].map(a, [1,2,3,4,5,6,7,8,9,10].map(b, [1,2,3,4,5,6,7,8,9,10]"
                        + ".map(c, [1,2,3,4,5,6,7,8,9,10].map(d, [1,2,3,4,5,6,7,8,9,10].map(e, a * b * c * d * e)))))"));
        var hostile = CompletableFuture.supplyAsync(() -> start(tenant, name, "{}", 200));
        long began = System.nanoTime();
        RestAssured.given().get("/q/health/live").then().statusCode(200);
        assertTrue((System.nanoTime() - began) / 1_000_000 < 1_000, "the service still answers at once");
        JsonPath result = hostile.join();
        assertEquals("failed", result.getString("status"));
        assertEquals("limit", result.getString("error.code"));
    }

    @Test
    void endedExecutionsAreCountedByStatusAndChannel() {
        String tenant = newTenant();
        String name = register(callers, tenant, single(unique("metrics"), "1"));
        double before = completedCount();
        start(tenant, name, "{}", 200);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> completedCount() >= before + 1);
    }

    private double completedCount() {
        return new PrometheusScrape(RestAssured.given().get("/q/metrics").asString())
                .sum("nexus_workflow_executions_total", Map.of("status", "completed", "channel", "api")).orElse(0);
    }

    private JsonPath start(String tenant, String name, String body, int status) {
        return callers.as(developer(tenant)).body(body).post("/api/v1/workflows/" + name + "/executions").then()
                .statusCode(status).extract().jsonPath();
    }

    private static Map<String, String> statuses(JsonPath execution) {
        Map<String, String> statuses = new java.util.HashMap<>();
        List<Map<String, Object>> steps = execution.getList("steps");
        steps.forEach(step -> statuses.put((String) step.get("node"), (String) step.get("status")));
        return statuses;
    }

    private long count(String sql, String parameter) {
        return pool.preparedQuery(sql).execute(Tuple.of(parameter)).await().atMost(Duration.ofSeconds(5))
                .iterator().next().getLong(0);
    }
}
