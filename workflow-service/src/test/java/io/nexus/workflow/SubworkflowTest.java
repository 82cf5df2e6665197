package io.nexus.workflow;

import static io.nexus.workflow.WorkflowFixtures.developer;
import static io.nexus.workflow.WorkflowFixtures.newTenant;
import static io.nexus.workflow.WorkflowFixtures.register;
import static io.nexus.workflow.WorkflowFixtures.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.nexus.common.identity.IdentityTokens;
import io.nexus.common.testing.CallerSpecs;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** subworkflow nodes (docs/api.md §5): a child's outputs, nesting and recursion rules, quotas, and cancel. */
@QuarkusTest
class SubworkflowTest {

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
    void aSubworkflowRunsTheChildAndTakesItsOutputsUnderTheRootsSlot() {
        String tenant = newTenant();
        quotas(tenant, 1);
        String child = register(callers, tenant, """
                {"name": "%s", "inputSchema": {"type": "object", "required": ["n"]},
                 "nodes": [{"id": "twice", "type": "transform", "config": {"expression": "{'n': inputs.n * 2}"}}]}"""
                .formatted(unique("child")));
        String parent = register(callers, tenant, """
                {"name": "%s", "nodes": [
                   {"id": "call", "type": "subworkflow", "config": {"workflow": "%s", "inputs": "{'n': inputs.n + 1}"}},
                   {"id": "after", "type": "transform", "config": {"expression": "{'got': nodes.call.twice.n}"}}],
                 "edges": [{"from": "call", "to": "after"}]}""".formatted(unique("parent"), child));

        // concurrentExecutions = 1: the child runs under its root's slot, so it is not refused.
        JsonPath done = callers.as(developer(tenant)).body("{\"inputs\": {\"n\": 4}}")
                .post("/api/v1/workflows/" + parent + "/executions").then().statusCode(200).extract().jsonPath();
        assertEquals("completed", done.getString("status"), done.prettify());
        assertEquals(10, done.getInt("outputs.after.got"));

        Row childRow = row("SELECT id::text, status, depth, parent_node, lineage FROM executions WHERE parent_id = $1",
                done.getString("executionId"));
        assertEquals("completed", childRow.getString(1));
        assertEquals(1, childRow.getInteger(2));
        assertEquals("call", childRow.getString(3));
        assertEquals(List.of(parent), List.of(childRow.getArrayOfStrings(4)));
        callers.as(developer(tenant)).get("/api/v1/executions/" + childRow.getString(0)).then().statusCode(200)
                .body("workflow", equalTo(child)).body("outputs.twice.n", equalTo(10));
    }

    @Test
    void aWorkflowAlreadyInTheChainFailsTheNodeWithRecursion() {
        String tenant = newTenant();
        String name = unique("self");
        register(callers, tenant, """
                {"name": "%s", "nodes": [{"id": "again", "type": "subworkflow", "config": {"workflow": "%s"}}]}"""
                .formatted(name, name));
        callers.as(developer(tenant)).body("{}").post("/api/v1/workflows/" + name + "/executions").then()
                .statusCode(200)
                .body("status", equalTo("failed"))
                .body("error.code", equalTo("recursion"))
                .body("error.node", equalTo("again"));
    }

    @Test
    void nestingDeeperThanFiveFailsWithLimit() {
        String tenant = newTenant();
        String prefix = unique("deep");
        // level0 -> level1 -> ... -> level6: level5 runs at depth 5 and may not start level6.
        register(callers, tenant, """
                {"name": "%s-6", "nodes": [{"id": "leaf", "type": "transform", "config": {"expression": "1"}}]}"""
                .formatted(prefix));
        for (int level = 5; level >= 0; level--) {
            register(callers, tenant, """
                    {"name": "%s-%d", "nodes": [{"id": "down", "type": "subworkflow",
                       "config": {"workflow": "%s-%d"}}]}""".formatted(prefix, level, prefix, level + 1));
        }
        JsonPath done = callers.as(developer(tenant)).body("{}")
                .post("/api/v1/workflows/" + prefix + "-0/executions").then().statusCode(200).extract().jsonPath();
        assertEquals("failed", done.getString("status"));
        Row deepest = row("SELECT depth, error->>'code', workflow FROM executions WHERE tenant_id = $1::uuid "
                + "ORDER BY depth DESC LIMIT 1", tenant);
        assertEquals(5, deepest.getInteger(0), "no execution deeper than 5");
        assertEquals("limit", deepest.getString(1));
    }

    @Test
    void cancellingTheRootCancelsItsChildren() {
        String tenant = newTenant();
        String child = register(callers, tenant, """
                {"name": "%s", "nodes": [{"id": "gate", "type": "wait", "config": {"signal": "never"}}]}"""
                .formatted(unique("blocked")));
        String parent = register(callers, tenant, """
                {"name": "%s", "nodes": [{"id": "call", "type": "subworkflow", "config": {"workflow": "%s"}}]}"""
                .formatted(unique("root"), child));
        String root = callers.as(developer(tenant)).body("{\"mode\": \"async\"}")
                .post("/api/v1/workflows/" + parent + "/executions").then().statusCode(202)
                .extract().path("executionId");
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> "waiting".equals(
                row("SELECT coalesce(max(status), '') FROM executions WHERE parent_id = $1::uuid", root).getString(0)));

        callers.as(developer(tenant)).post("/api/v1/executions/" + root + "/cancel").then().statusCode(200)
                .body("status", equalTo("cancelled"));
        assertEquals("cancelled", row("SELECT status FROM executions WHERE parent_id = $1::uuid", root).getString(0));
    }

    private void quotas(String tenant, long concurrent) {
        pool.preparedQuery("INSERT INTO tenant_quotas (tenant_id, status, workflows, executions_per_day, "
                + "concurrent_executions, updated_at) VALUES ($1::uuid, 'active', 100, 1000, $2, now())")
                .execute(Tuple.of(tenant, concurrent)).await().atMost(Duration.ofSeconds(5));
    }

    private Row row(String sql, String parameter) {
        return pool.preparedQuery(sql).execute(Tuple.of(parameter)).await().atMost(Duration.ofSeconds(5))
                .iterator().next();
    }
}
