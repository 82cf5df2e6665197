package io.nexus.workflow;

import static io.nexus.workflow.WorkflowFixtures.developer;
import static io.nexus.workflow.WorkflowFixtures.newTenant;
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

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.nexus.common.identity.IdentityTokens;
import io.nexus.common.testing.CallerSpecs;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Definitions: registration, immutable versions, search, delete, validation, quotas, isolation (docs/api.md §4, §5). */
@QuarkusTest
class WorkflowApiTest {

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
    void registersAndReadsAWorkflowAndAnnouncesIt() {
        String tenant = newTenant();
        String name = unique("orders");
        callers.as(developer(tenant)).body(threeSteps(name)).post("/api/v1/workflows").then()
                .statusCode(201)
                .header("Location", "/api/v1/workflows/" + name)
                .body("name", equalTo(name))
                .body("version", equalTo(1))
                .body("nodes", hasSize(3))
                .body("createdAt", notNullValue());
        callers.as(viewer(tenant)).get("/api/v1/workflows/" + name).then()
                .statusCode(200)
                .body("version", equalTo(1))
                .body("description", equalTo("three pure steps"))
                .body("edges[0].from", equalTo("double"));
        assertEquals(1L, count("SELECT count(*) FROM outbox_event WHERE event_type = 'nexus.workflow.registered' "
                + "AND aggregate_id = $1", tenant + "/" + name));
    }

    @Test
    void everyPutMakesANewImmutableVersion() {
        String tenant = newTenant();
        String name = unique("versions");
        callers.as(developer(tenant)).body(threeSteps(name)).post("/api/v1/workflows").then().statusCode(201);
        callers.as(developer(tenant)).body(threeSteps(name)).put("/api/v1/workflows/" + name).then()
                .statusCode(200).body("version", equalTo(2));
        String changed = threeSteps(name).replace("three pure steps", "changed");
        callers.as(developer(tenant)).body(changed).put("/api/v1/workflows/" + name).then()
                .statusCode(200).body("version", equalTo(3)).body("description", equalTo("changed"));
        callers.as(developer(tenant)).get("/api/v1/workflows/" + name + "?version=1").then()
                .statusCode(200).body("version", equalTo(1)).body("description", equalTo("three pure steps"));
        callers.as(developer(tenant)).get("/api/v1/workflows/" + name).then()
                .statusCode(200).body("version", equalTo(3)).body("latestVersion", equalTo(3));
        callers.as(developer(tenant)).get("/api/v1/workflows/" + name + "?version=9").then().statusCode(404);
        callers.as(developer(tenant)).get("/api/v1/workflows/" + name + "?version=zero").then()
                .statusCode(400).body("errors[0].field", equalTo("version"));
    }

    @Test
    void aPutMustNameTheWorkflowOfItsPath() {
        String tenant = newTenant();
        String name = unique("named");
        callers.as(developer(tenant)).body(threeSteps(name)).post("/api/v1/workflows").then().statusCode(201);
        callers.as(developer(tenant)).body(threeSteps("other-name")).put("/api/v1/workflows/" + name).then()
                .statusCode(422)
                .body("errors.field", hasItem("name"))
                .body("errors.message", hasItem(containsString("'other-name'")));
        callers.as(developer(tenant)).body(threeSteps("nobody")).put("/api/v1/workflows/nobody").then()
                .statusCode(404);
    }

    @Test
    void namesAreUniquePerTenantOnly() {
        String tenant = newTenant();
        String name = unique("dup");
        callers.as(developer(tenant)).body(threeSteps(name)).post("/api/v1/workflows").then().statusCode(201);
        callers.as(developer(tenant)).body(threeSteps(name)).post("/api/v1/workflows").then()
                .statusCode(409).body("detail", containsString(name));
        callers.as(developer(newTenant())).body(threeSteps(name)).post("/api/v1/workflows").then().statusCode(201);
    }

    @Test
    void anotherTenantSeesNothing() {
        String owner = newTenant();
        String stranger = newTenant();
        String name = unique("private");
        callers.as(developer(owner)).body(threeSteps(name)).post("/api/v1/workflows").then().statusCode(201);
        callers.as(developer(stranger)).get("/api/v1/workflows/" + name).then().statusCode(404);
        callers.as(developer(stranger)).body(threeSteps(name)).put("/api/v1/workflows/" + name).then()
                .statusCode(404);
        callers.as(developer(stranger)).delete("/api/v1/workflows/" + name).then().statusCode(404);
        callers.as(developer(stranger)).get("/api/v1/workflows").then().statusCode(200).body("items", hasSize(0));
        callers.as(developer(owner)).get("/api/v1/workflows/" + name).then().statusCode(200);
    }

    @Test
    void listsWithSearchAndCursor() {
        String tenant = newTenant();
        for (int i = 0; i < 5; i++) {
            callers.as(developer(tenant)).body(threeSteps("alpha-" + i)).post("/api/v1/workflows").then()
                    .statusCode(201);
        }
        callers.as(developer(tenant)).body(threeSteps("beta")).post("/api/v1/workflows").then().statusCode(201);
        var first = callers.as(developer(tenant)).get("/api/v1/workflows?q=alpha&limit=3").then().statusCode(200)
                .body("items", hasSize(3)).body("items[0].name", equalTo("alpha-0"))
                .body("nextCursor", notNullValue()).extract();
        callers.as(developer(tenant)).get("/api/v1/workflows?q=alpha&limit=3&cursor=" + first.path("nextCursor"))
                .then().statusCode(200)
                .body("items.name", equalTo(List.of("alpha-3", "alpha-4")))
                .body("nextCursor", nullValue());
        callers.as(developer(tenant)).get("/api/v1/workflows?limit=101").then().statusCode(400)
                .body("errors[0].field", equalTo("limit"));
    }

    @Test
    void deleteFreesTheNameAndKeepsOldVersionsForRunningExecutions() {
        String tenant = newTenant();
        String name = unique("gone");
        callers.as(developer(tenant)).body(threeSteps(name)).post("/api/v1/workflows").then().statusCode(201);
        callers.as(developer(tenant)).delete("/api/v1/workflows/" + name).then().statusCode(204);
        callers.as(developer(tenant)).get("/api/v1/workflows/" + name).then().statusCode(404);
        callers.as(developer(tenant)).delete("/api/v1/workflows/" + name).then().statusCode(404);
        callers.as(developer(tenant)).body(threeSteps(name)).post("/api/v1/workflows").then()
                .statusCode(201).body("version", equalTo(1));
        assertEquals(2L, count("SELECT count(*) FROM workflow_versions v JOIN workflows w ON w.id = v.workflow_id "
                + "WHERE w.name = $1", name));
    }

    @Test
    void invalidDefinitionsAreRefusedWithEveryProblemAndNothingStored() {
        String tenant = newTenant();
        String body = """
                {"name": "Bad Name", "unknown": 1,
                 "nodes": [{"id": "a", "type": "teleport", "config": {}},
                           {"id": "b", "type": "transform", "config": {"expression": "inputs.x +"}},
                           {"id": "b", "type": "transform", "config": {"expression": "1"}}],
                 "edges": [{"from": "a", "to": "zz"}]}
                """;
        callers.as(developer(tenant)).body(body).post("/api/v1/workflows").then()
                .statusCode(422)
                .body("type", equalTo("urn:nexus:problem:unprocessable"))
                .body("errors.field", hasItem("name"))
                .body("errors.field", hasItem("nodes[0].type"))
                .body("errors.field", hasItem("nodes[1].config.expression"))
                .body("errors.field", hasItem("nodes[2].id"))
                .body("errors.field", hasItem("edges[0].to"))
                .body("errors.message", hasItem(containsString("'teleport'")))
                .body("errors.message", hasItem(containsString("'zz'")));
        assertEquals(0L, count("SELECT count(*) FROM workflows WHERE tenant_id = $1::uuid", tenant));
    }

    @Test
    void aBodyThatIsNotAJsonObjectIs400() {
        String tenant = newTenant();
        callers.as(developer(tenant)).body("[1, 2]").post("/api/v1/workflows").then().statusCode(400);
        callers.as(developer(tenant)).body("{\"name\": ").post("/api/v1/workflows").then().statusCode(400);
    }

    @Test
    void viewersMayReadButNotRegister() {
        String tenant = newTenant();
        callers.as(viewer(tenant)).body(threeSteps(unique("ro"))).post("/api/v1/workflows").then().statusCode(403);
        callers.as(viewer(tenant)).get("/api/v1/workflows").then().statusCode(200);
    }

    @Test
    void theWorkflowsQuotaFromTheTenantProjectionIsEnforced() {
        String tenant = newTenant();
        execute("INSERT INTO tenant_quotas (tenant_id, status, workflows, executions_per_day, concurrent_executions, "
                + "updated_at) VALUES ($1::uuid, 'active', 2, 100, 10, now())", tenant);
        callers.as(developer(tenant)).body(threeSteps("one")).post("/api/v1/workflows").then().statusCode(201);
        callers.as(developer(tenant)).body(threeSteps("two")).post("/api/v1/workflows").then().statusCode(201);
        callers.as(developer(tenant)).body(threeSteps("three")).post("/api/v1/workflows").then()
                .statusCode(429).header("Retry-After", notNullValue()).body("detail", containsString("quota is 2"));
    }

    private long count(String sql, String parameter) {
        return pool.preparedQuery(sql).execute(Tuple.of(parameter)).await().atMost(Duration.ofSeconds(5))
                .iterator().next().getLong(0);
    }

    private void execute(String sql, String parameter) {
        pool.preparedQuery(sql).execute(Tuple.of(parameter)).await().atMost(Duration.ofSeconds(5));
    }

    static UUID uuid(String value) {
        return UUID.fromString(value);
    }
}
