package io.nexus.workflow;

import java.time.Duration;
import java.util.UUID;

import io.nexus.common.identity.CallerIdentity;
import io.nexus.common.identity.Role;
import io.nexus.common.testing.CallerSpecs;
import io.nexus.common.testing.TestIdentities;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Definitions and identities the workflow tests share. Every test works in a tenant of its own. */
final class WorkflowFixtures {

    private WorkflowFixtures() {
    }

    static String newTenant() {
        return UUID.randomUUID().toString();
    }

    static CallerIdentity developer(String tenant) {
        return TestIdentities.developer(tenant);
    }

    static CallerIdentity viewer(String tenant) {
        return TestIdentities.of(Role.VIEWER, tenant);
    }

    /** Registers a definition as the tenant's developer (201) and returns the workflow's name. */
    static String register(CallerSpecs callers, String tenant, String definition) {
        return callers.as(developer(tenant)).body(definition).post("/api/v1/workflows").then().statusCode(201)
                .extract().path("name");
    }

    /** An execution with its steps, as the tenant's developer reads it (200). */
    static JsonPath execution(CallerSpecs callers, String tenant, String id) {
        return callers.as(developer(tenant)).get("/api/v1/executions/" + id).then().statusCode(200)
                .extract().jsonPath();
    }

    /** double → inc → shape, the benchmark's workflow. */
    static String threeSteps(String name) {
        return """
                {"name": "%s", "description": "three pure steps",
                 "inputSchema": {"type": "object", "properties": {"x": {"type": "integer"}}, "required": ["x"]},
                 "nodes": [{"id": "double", "type": "transform", "config": {"expression": "{'y': inputs.x * 2}"}},
                           {"id": "inc", "type": "transform", "config": {"expression": "{'z': nodes.double.y + 1}"}},
                           {"id": "shape", "type": "transform",
                            "config": {"expression": "{'result': nodes.inc.z, 'big': nodes.inc.z > 10}"}}],
                 "edges": [{"from": "double", "to": "inc"}, {"from": "inc", "to": "shape"}]}
                """.formatted(name);
    }

    /** A single transform node: {@code {"value": <expression>}}. */
    static String single(String name, String expression) {
        return """
                {"name": "%s", "nodes": [{"id": "only", "type": "transform", "config": {"expression": %s}}]}
                """.formatted(name, quote(expression));
    }

    /** A node that fails every attempt and waits {@code backoffMs} between attempts: something that takes time. */
    static String slow(String name, long backoffMs) {
        return """
                {"name": "%s", "nodes": [{"id": "stuck", "type": "transform", "config": {"expression": "1 / 0"},
                  "retry": {"maxAttempts": 10, "backoffMs": %d}}]}
                """.formatted(name, backoffMs);
    }

    static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * Whether a worker holds the execution now (a live lease). A claimed execution may still read "pending" until it
     * commits a step, so tests that need a busy worker wait for this, not for a status.
     */
    static boolean leased(Pool pool, String executionId) {
        return pool.preparedQuery("SELECT lease_owner IS NOT NULL AND lease_until > now() FROM executions "
                + "WHERE id = $1::uuid").execute(Tuple.of(executionId)).await().atMost(Duration.ofSeconds(5))
                .iterator().next().getBoolean(0);
    }
}
