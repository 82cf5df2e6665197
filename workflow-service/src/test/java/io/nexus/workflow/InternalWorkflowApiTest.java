package io.nexus.workflow;

import static io.nexus.workflow.WorkflowFixtures.developer;
import static io.nexus.workflow.WorkflowFixtures.newTenant;
import static io.nexus.workflow.WorkflowFixtures.register;
import static io.nexus.workflow.WorkflowFixtures.threeSteps;
import static io.nexus.workflow.WorkflowFixtures.unique;
import static io.nexus.workflow.WorkflowFixtures.viewer;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.nexus.common.identity.IdentityTokens;
import io.nexus.common.identity.Role;
import io.nexus.common.testing.CallerSpecs;
import io.nexus.common.testing.TestIdentities;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/** {@code GET /internal/workflows/{name}/versions/{version}}: what marketplace-service snapshots when a tenant publishes. */
@QuarkusTest
class InternalWorkflowApiTest {

    @Inject
    IdentityTokens tokens;

    private CallerSpecs callers;

    @BeforeEach
    void setUp() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        callers = new CallerSpecs(tokens);
    }

    @Test
    void aTenantsOwnIdentityReadsAVersionWhole() {
        String tenant = newTenant();
        String name = register(callers, tenant, threeSteps(unique("snap")));
        callers.as(developer(tenant)).body(threeSteps(name).replace("three pure steps", "second"))
                .put("/api/v1/workflows/" + name).then().statusCode(200);

        callers.as(viewer(tenant)).get("/internal/workflows/" + name + "/versions/1").then()
                .statusCode(200)
                .body("name", equalTo(name))
                .body("version", equalTo(1))
                .body("definition.name", equalTo(name))
                .body("definition.description", equalTo("three pure steps"))
                .body("definition.nodes", hasSize(3))
                .body("definition.edges[1].to", equalTo("shape"));
        callers.as(developer(tenant)).get("/internal/workflows/" + name + "/versions/latest").then()
                .statusCode(200)
                .body("version", equalTo(2))
                .body("definition.description", equalTo("second"));
        callers.as(TestIdentities.of(Role.SERVICE, tenant)).get("/internal/workflows/" + name + "/versions/2")
                .then().statusCode(200).body("version", equalTo(2));
    }

    @Test
    void anotherTenantsOrAnUnknownWorkflowOrVersionIsNotFound() {
        String tenant = newTenant();
        String name = register(callers, tenant, threeSteps(unique("private")));
        callers.as(developer(newTenant())).get("/internal/workflows/" + name + "/versions/latest").then()
                .statusCode(404);
        callers.as(TestIdentities.of(Role.SERVICE, newTenant())).get("/internal/workflows/" + name + "/versions/1")
                .then().statusCode(404);
        callers.as(developer(tenant)).get("/internal/workflows/" + name + "/versions/9").then().statusCode(404);
        callers.as(developer(tenant)).get("/internal/workflows/nothing-here/versions/latest").then()
                .statusCode(404);
        callers.as(developer(tenant)).delete("/api/v1/workflows/" + name).then().statusCode(204);
        callers.as(developer(tenant)).get("/internal/workflows/" + name + "/versions/1").then().statusCode(404);
    }

    @Test
    void aVersionThatIsNeitherANumberNorLatestIsA400AndCallersWithoutATenantAre403() {
        String tenant = newTenant();
        String name = register(callers, tenant, threeSteps(unique("shape")));
        callers.as(developer(tenant)).get("/internal/workflows/" + name + "/versions/newest").then()
                .statusCode(400).body("errors.field", contains("version"));
        callers.as(developer(tenant)).get("/internal/workflows/" + name + "/versions/0").then()
                .statusCode(400).body("errors.field", contains("version"));
        callers.as(TestIdentities.service()).get("/internal/workflows/" + name + "/versions/1").then()
                .statusCode(403);
        callers.as(TestIdentities.platformAdmin()).get("/internal/workflows/" + name + "/versions/1").then()
                .statusCode(403);
    }
}
