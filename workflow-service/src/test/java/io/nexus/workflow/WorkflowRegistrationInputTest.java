package io.nexus.workflow;

import static io.nexus.workflow.WorkflowFixtures.developer;
import static io.nexus.workflow.WorkflowFixtures.newTenant;
import static io.nexus.workflow.WorkflowFixtures.threeSteps;
import static io.nexus.workflow.WorkflowFixtures.unique;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.nexus.common.identity.IdentityTokens;
import io.nexus.common.testing.CallerSpecs;
import io.nexus.common.testing.IdempotencyChecks;
import io.nexus.common.testing.IdempotencyChecks.Target;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** {@code POST /api/v1/workflows}: Idempotency-Key (docs/api.md §2.7), trailing content and NUL in the body. */
@QuarkusTest
class WorkflowRegistrationInputTest {

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
    void registeringHonoursTheIdempotencyKey() {
        IdempotencyChecks.verify(registrations(newTenant()), registrations(newTenant()));
    }

    @Test
    void trailingContentAfterTheDefinitionIs400() {
        String tenant = newTenant();
        String name = unique("trailing");
        callers.as(developer(tenant)).body(threeSteps(name) + "{\"status\": \"deleted\"}").post("/api/v1/workflows")
                .then().statusCode(400).contentType(startsWith("application/problem+json"));
        callers.as(developer(tenant)).body(threeSteps(name) + " x").post("/api/v1/workflows")
                .then().statusCode(400);
        callers.as(developer(tenant)).get("/api/v1/workflows/" + name).then().statusCode(404);
    }

    @Test
    void aNulInTheDefinitionIsNamedNotA500() {
        String tenant = newTenant();
        String name = unique("nul");
        callers.as(developer(tenant)).body(threeSteps(name).replace("three pure steps", "three\\u0000steps"))
                .post("/api/v1/workflows").then()
                .statusCode(422).contentType(startsWith("application/problem+json"))
                .body("errors.field", contains("description"));
    }

    private Target registrations(String tenant) {
        String name = unique("idem");
        return new Target(() -> callers.as(developer(tenant)), "/api/v1/workflows", threeSteps(name),
                threeSteps(name).replace("three pure steps", "other"), threeSteps(name + "-p"),
                () -> pool.preparedQuery("SELECT count(*) FROM workflows WHERE tenant_id = $1::uuid")
                        .execute(Tuple.of(tenant)).await().atMost(Duration.ofSeconds(5)).iterator().next().getLong(0));
    }
}
