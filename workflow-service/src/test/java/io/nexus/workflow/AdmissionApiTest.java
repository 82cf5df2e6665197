package io.nexus.workflow;

import static io.nexus.workflow.WorkflowFixtures.developer;
import static io.nexus.workflow.WorkflowFixtures.newTenant;
import static io.nexus.workflow.WorkflowFixtures.register;
import static io.nexus.workflow.WorkflowFixtures.single;
import static io.nexus.workflow.WorkflowFixtures.slow;
import static io.nexus.workflow.WorkflowFixtures.unique;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.nexus.common.identity.IdentityTokens;
import io.nexus.common.testing.CallerSpecs;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Admission (docs/api.md §4.4): starts beyond a tenant's concurrent or daily quota are refused with 429, also when
 * they race, and a refused start leaves nothing behind, on real PostgreSQL.
 */
@QuarkusTest
class AdmissionApiTest {

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
    void admissionRefusesStartsBeyondTheConcurrentAndDailyQuotas() {
        String tenant = newTenant();
        quotas(tenant, 1, 3);
        String slowName = register(callers, tenant, slow(unique("hold"), 60_000));
        String quick = register(callers, tenant, single(unique("quick"), "1"));
        String holder = callers.as(developer(tenant)).body("{\"mode\": \"async\"}")
                .post("/api/v1/workflows/" + slowName + "/executions").then().statusCode(202)
                .extract().path("executionId");
        callers.as(developer(tenant)).body("{}").post("/api/v1/workflows/" + quick + "/executions").then()
                .statusCode(429)
                .header("Retry-After", equalTo("1"))
                .body("detail", containsString("concurrentExecutions"));
        callers.as(developer(tenant)).post("/api/v1/executions/" + holder + "/cancel").then().statusCode(200);
        startOnce(tenant, quick, 200);
        startOnce(tenant, quick, 200);
        callers.as(developer(tenant)).body("{}").post("/api/v1/workflows/" + quick + "/executions").then()
                .statusCode(429)
                .header("Retry-After", notNullValue())
                .body("detail", containsString("executionsPerDay"));
        assertEquals(3L, count("SELECT count(*) FROM executions WHERE tenant_id = $1::uuid", tenant),
                "refused starts leave nothing behind");
    }

    @Test
    void concurrentStartsNeverAdmitMoreThanTheConcurrentQuota() throws Exception {
        String tenant = newTenant();
        quotas(tenant, 3, 1000);
        String slowName = register(callers, tenant, slow(unique("race"), 60_000));
        // Many starts at once, so that several wait on the tenant's admission row while others commit.
        assertEquals(3, startAtOnce(tenant, slowName, "{\"mode\": \"async\"}", 202), "admitted starts");
        assertEquals(3L, count("SELECT count(*) FROM executions WHERE tenant_id = $1::uuid", tenant));
        assertEquals(3L, count("SELECT day_count FROM tenant_admission WHERE tenant_id = $1::uuid", tenant),
                "starts refused for the concurrent quota do not count against the day's");
    }

    @Test
    void concurrentStartsOfANewTenantNeverAdmitMoreThanTheDailyQuota() throws Exception {
        String tenant = newTenant();
        quotas(tenant, 1000, 5);
        String quick = register(callers, tenant, single(unique("daily"), "1"));
        // The tenant's first starts, all at once: they race to create its admission row as well.
        assertEquals(5, startAtOnce(tenant, quick, "{}", 200), "admitted starts");
        assertEquals(5L, count("SELECT count(*) FROM executions WHERE tenant_id = $1::uuid", tenant));
        assertEquals(5L, count("SELECT day_count FROM tenant_admission WHERE tenant_id = $1::uuid", tenant));
    }

    private void startOnce(String tenant, String workflow, int status) {
        callers.as(developer(tenant)).body("{}").post("/api/v1/workflows/" + workflow + "/executions").then()
                .statusCode(status);
    }

    /** 24 starts of {@code workflow} from 12 clients at once: how many were admitted (every other one must be 429). */
    private int startAtOnce(String tenant, String workflow, String body, int admittedStatus) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(12);
        try {
            List<Future<Integer>> starts = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                starts.add(clients.submit(() -> callers.as(developer(tenant)).body(body)
                        .post("/api/v1/workflows/" + workflow + "/executions").then().extract().statusCode()));
            }
            int admitted = 0;
            for (var start : starts) {
                int status = start.get(30, TimeUnit.SECONDS);
                assertTrue(status == admittedStatus || status == 429, "unexpected status " + status);
                admitted += status == admittedStatus ? 1 : 0;
            }
            return admitted;
        } finally {
            clients.shutdownNow();
        }
    }

    private void quotas(String tenant, long concurrent, long daily) {
        pool.preparedQuery("INSERT INTO tenant_quotas (tenant_id, status, workflows, executions_per_day, "
                + "concurrent_executions, updated_at) VALUES ($1::uuid, 'active', 100, $3, $2, now())")
                .execute(Tuple.of(tenant, concurrent, daily)).await().atMost(Duration.ofSeconds(5));
    }

    private long count(String sql, String parameter) {
        return pool.preparedQuery(sql).execute(Tuple.of(parameter)).await().atMost(Duration.ofSeconds(5))
                .iterator().next().getLong(0);
    }
}
