package io.nexus.workflow;

import static io.nexus.workflow.WorkflowFixtures.developer;
import static io.nexus.workflow.WorkflowFixtures.newTenant;
import static io.nexus.workflow.WorkflowFixtures.register;
import static io.nexus.workflow.WorkflowFixtures.single;
import static io.nexus.workflow.WorkflowFixtures.unique;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.nexus.common.identity.IdentityTokens;
import io.nexus.common.testing.CallerSpecs;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Limits the engine keeps against real PostgreSQL: what it cannot store, what parks, how many signals wait. */
@QuarkusTest
class EngineLimitsApiTest {

    private static final String APPROVAL = """
            {"name": "%s", "nodes": [{"id": "approval", "type": "wait",
              "config": {"signal": "approve", "timeoutMs": 3600000}}]}""";

    @Inject
    IdentityTokens tokens;
    @Inject
    Pool pool;

    @Test
    void aSyncStartWhoseExecutionParksAnswersWaiting() {
        CallerSpecs callers = new CallerSpecs(tokens);
        String tenant = newTenant();
        String name = register(callers, tenant, APPROVAL.formatted(unique("approval")));

        String id = callers.as(developer(tenant)).body("{\"waitMs\": 1500}")
                .post("/api/v1/workflows/" + name + "/executions").then()
                .statusCode(202)
                .body("status", equalTo("waiting"))
                .extract().path("executionId");

        callers.as(developer(tenant)).get("/api/v1/executions/" + id).then().body("status", equalTo("waiting"));
    }

    @Test
    void aTransformProducingANulCharacterFailsTheExecutionInsteadOfLeavingItRunning() {
        CallerSpecs callers = new CallerSpecs(tokens);
        String tenant = newTenant();
        // CEL's \x00 escape: the definition itself holds no NUL, the result does.
        String name = register(callers, tenant, single(unique("nul"), "{'text': 'a\\x00b'}"));

        String id = callers.as(developer(tenant)).body("{\"waitMs\": 10000}")
                .post("/api/v1/workflows/" + name + "/executions").then()
                .statusCode(200)
                .body("status", equalTo("failed"))
                .body("error.code", equalTo("expression"))
                .body("error.message", containsString("U+0000"))
                .body("outputs", nullValue())
                .extract().path("executionId");

        callers.as(developer(tenant)).get("/api/v1/executions/" + id).then()
                .body("status", equalTo("failed"))
                .body("steps[0].status", equalTo("failed"));
    }

    @Test
    void signalsBeyondThePendingCapAreRefusedAndNotStored() {
        CallerSpecs callers = new CallerSpecs(tokens);
        String tenant = newTenant();
        String name = register(callers, tenant, APPROVAL.formatted(unique("approval")));
        String id = callers.as(developer(tenant)).body("{\"mode\": \"async\"}")
                .post("/api/v1/workflows/" + name + "/executions").then().statusCode(202)
                .extract().path("executionId");
        callers.as(developer(tenant)).post("/api/v1/executions/" + id + "/signals/other").then().statusCode(202);
        // 999 more that no wait node takes, written directly: a thousand requests would only slow the suite down.
        pool.preparedQuery("INSERT INTO execution_signals (execution_id, name) "
                + "SELECT $1::uuid, 'other' FROM generate_series(1, 999)").execute(Tuple.of(id))
                .await().atMost(Duration.ofSeconds(10));

        callers.as(developer(tenant)).body("{\"payload\": 1}").post("/api/v1/executions/" + id + "/signals/approve")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:nexus:problem:conflict"))
                .body("detail", containsString("1000 signals"))
                .body("detail", containsString("nexus.workflow.max-pending-signals"));

        long stored = pool.preparedQuery("SELECT count(*) FROM execution_signals WHERE execution_id = $1::uuid")
                .execute(Tuple.of(id)).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
        assertEquals(1000, stored, "the refused signal was not stored");
    }
}
