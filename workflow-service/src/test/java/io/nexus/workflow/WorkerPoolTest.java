package io.nexus.workflow;

import static io.nexus.workflow.WorkflowFixtures.developer;
import static io.nexus.workflow.WorkflowFixtures.leased;
import static io.nexus.workflow.WorkflowFixtures.newTenant;
import static io.nexus.workflow.WorkflowFixtures.single;
import static io.nexus.workflow.WorkflowFixtures.slow;
import static io.nexus.workflow.WorkflowFixtures.unique;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.nexus.common.identity.IdentityTokens;
import io.nexus.common.testing.CallerSpecs;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The replica's bounded worker pool: a sync start that gets no worker within the wait answers 429; an async start
 * that finds none stays pending and is claimed from PostgreSQL once a worker frees up.
 */
@QuarkusTest
@TestProfile(WorkerPoolTest.OneWorker.class)
class WorkerPoolTest {

    public static class OneWorker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("nexus.workflow.workers", "1");
        }
    }

    @Inject
    IdentityTokens tokens;
    @Inject
    Pool pool;

    @Test
    void syncStartsWaitAtMostASecondForAWorkerAndAsyncOnesQueueInTheDatabase() {
        CallerSpecs callers = new CallerSpecs(tokens);
        String tenant = newTenant();
        String slowName = callers.as(developer(tenant)).body(slow(unique("busy"), 60_000)).post("/api/v1/workflows")
                .then().statusCode(201).extract().path("name");
        String quick = callers.as(developer(tenant)).body(single(unique("quick"), "'done'"))
                .post("/api/v1/workflows").then().statusCode(201).extract().path("name");
        String holder = callers.as(developer(tenant)).body("{\"mode\": \"async\"}")
                .post("/api/v1/workflows/" + slowName + "/executions").then().statusCode(202)
                .extract().path("executionId");
        // The one worker must hold it before the sync start asks for a worker (the claim is asynchronous).
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> leased(pool, holder));

        long began = System.nanoTime();
        callers.as(developer(tenant)).body("{}").post("/api/v1/workflows/" + quick + "/executions").then()
                .statusCode(429)
                .header("Retry-After", equalTo("1"))
                .body("detail", containsString("worker"));
        long waitedMs = (System.nanoTime() - began) / 1_000_000;
        assertTrue(waitedMs >= 900 && waitedMs < 5_000, "waited about a second for a worker: " + waitedMs + " ms");

        String queued = callers.as(developer(tenant)).body("{\"mode\": \"async\"}")
                .post("/api/v1/workflows/" + quick + "/executions").then().statusCode(202)
                .body("status", equalTo("pending")).extract().path("executionId");
        callers.as(developer(tenant)).get("/api/v1/executions/" + queued).then().body("status", equalTo("pending"));

        callers.as(developer(tenant)).post("/api/v1/executions/" + holder + "/cancel").then().statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                callers.as(developer(tenant)).get("/api/v1/executions/" + queued).then()
                        .body("status", equalTo("completed"))
                        .body("outputs.only", equalTo("done")));
    }
}
