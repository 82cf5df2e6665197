package io.nexus.workflow;

import static io.nexus.workflow.WorkflowFixtures.developer;
import static io.nexus.workflow.WorkflowFixtures.execution;
import static io.nexus.workflow.WorkflowFixtures.newTenant;
import static io.nexus.workflow.WorkflowFixtures.register;
import static io.nexus.workflow.WorkflowFixtures.single;
import static io.nexus.workflow.WorkflowFixtures.slow;
import static io.nexus.workflow.WorkflowFixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.nexus.common.identity.IdentityTokens;
import io.nexus.common.testing.CallerSpecs;
import io.nexus.common.testing.PrometheusScrape;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * {@code nexus_workflow_executions_backlog} counts what needs a worker and has none. One worker per replica makes a
 * real backlog: a slow execution holds the worker (its lease read from the table), async starts then stay pending, and a parked execution whose timer
 * falls due cannot be claimed either; freeing the worker drains all of it and the gauge goes back to 0.
 */
@QuarkusTest
@TestProfile(ExecutionBacklogTest.OneWorkerFastRecount.class)
class ExecutionBacklogTest {

    private static final Duration SETTLES = Duration.ofSeconds(20);
    private static final String GAUGE = "nexus_workflow_executions_backlog";

    public static class OneWorkerFastRecount implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("nexus.workflow.workers", "1", "nexus.workflow.backlog-interval", "300ms");
        }
    }

    @Inject
    IdentityTokens tokens;

    @Inject
    Pool pool;

    @Test
    void theBacklogCountsPendingAndDueExecutionsNoWorkerHasAndDrainsToZero() {
        CallerSpecs callers = new CallerSpecs(tokens);
        String tenant = newTenant();
        // Present from start-up, with the service label every metric carries (0: nothing was started yet).
        assertEquals(List.of(0.0), backlogSamples());

        String parked = register(callers, tenant, """
                {"name": "%s", "nodes": [{"id": "pause", "type": "delay", "config": {"durationMs": 4000}},
                   {"id": "last", "type": "transform", "config": {"expression": "'woke'"}}],
                 "edges": [{"from": "pause", "to": "last"}]}""".formatted(unique("parked")));
        String slowName = register(callers, tenant, slow(unique("busy"), 60_000));
        String quick = register(callers, tenant, single(unique("quick"), "'done'"));

        // Parks (status waiting, worker handed back) with its timer 4 s ahead: not ready yet, so not counted.
        String sleeper = startAsync(callers, tenant, parked);
        Awaitility.await().atMost(SETTLES).until(() -> "waiting".equals(status(callers, tenant, sleeper)));
        String holder = startAsync(callers, tenant, slowName);
        // The slow execution runs in memory between its attempts and reads "pending" until it commits a step: its
        // live lease is what says a worker holds it.
        Awaitility.await().atMost(SETTLES).until(() -> WorkflowFixtures.leased(pool, holder));

        String first = startAsync(callers, tenant, quick);
        String second = startAsync(callers, tenant, quick);
        // Two pending executions nobody holds, then the parked one as soon as its timer is due: it needs the
        // worker the slow execution holds.
        awaitBacklog(2);
        assertEquals("waiting", status(callers, tenant, sleeper));
        awaitBacklog(3);
        assertEquals("pending", status(callers, tenant, first));

        callers.as(developer(tenant)).post("/api/v1/executions/" + holder + "/cancel").then().statusCode(200);
        Awaitility.await().atMost(SETTLES).until(() -> List.of(first, second, sleeper).stream()
                .allMatch(id -> "completed".equals(status(callers, tenant, id))));
        awaitBacklog(0);
    }

    private static void awaitBacklog(double expected) {
        Awaitility.await().atMost(SETTLES).pollInterval(Duration.ofMillis(100))
                .until(() -> backlogSamples().equals(List.of(expected)));
    }

    /** The gauge's values in one scrape of /q/metrics (one series, labelled service="workflow-service"). */
    private static List<Double> backlogSamples() {
        return new PrometheusScrape(RestAssured.given().get("/q/metrics").asString())
                .samples(GAUGE, Map.of("service", "workflow-service")).stream()
                .map(PrometheusScrape.Sample::value).toList();
    }

    private static String startAsync(CallerSpecs callers, String tenant, String workflow) {
        return callers.as(developer(tenant)).body("{\"mode\": \"async\"}")
                .post("/api/v1/workflows/" + workflow + "/executions").then().statusCode(202)
                .extract().path("executionId");
    }

    private static String status(CallerSpecs callers, String tenant, String id) {
        return execution(callers, tenant, id).getString("status");
    }
}
