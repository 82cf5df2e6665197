package io.nexus.workflow;

import static io.nexus.workflow.WorkflowFixtures.newTenant;
import static io.nexus.workflow.WorkflowFixtures.register;
import static io.nexus.workflow.WorkflowFixtures.single;
import static io.nexus.workflow.WorkflowFixtures.unique;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

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
import io.vertx.mutiny.sqlclient.Tuple;

/** Retention runs by itself: the replica's periodic sweep deletes expired history without anybody asking. */
@QuarkusTest
@TestProfile(RetentionScheduleTest.FrequentSweeps.class)
class RetentionScheduleTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    public static class FrequentSweeps implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("nexus.workflow.retention.interval", "300ms");
        }
    }

    @Inject
    IdentityTokens tokens;
    @Inject
    Pool pool;

    @Test
    void thePeriodicSweepDeletesExpiredHistoryAndCountsIt() {
        CallerSpecs callers = new CallerSpecs(tokens);
        String tenant = newTenant();
        String workflow = register(callers, tenant, single(unique("swept"), "1"));
        UUID expired = UUID.randomUUID();
        UUID recent = UUID.randomUUID();
        for (UUID id : new UUID[] { expired, recent }) {
            pool.preparedQuery("INSERT INTO executions (id, tenant_id, workflow, workflow_version_id, version, status, "
                    + "mode, channel, inputs, deadline_at, created_at, finished_at) SELECT $1, $2::uuid, w.name, v.id, "
                    + "v.version, 'completed', 'sync', 'api', '{}', now(), now() - $3::int * interval '1 day', "
                    + "now() - $3::int * interval '1 day' FROM workflow_versions v JOIN workflows w "
                    + "ON w.id = v.workflow_id WHERE w.tenant_id = $2::uuid AND w.name = $4")
                    .execute(Tuple.of(id, tenant, id == expired ? 91 : 89, workflow)).await().atMost(WAIT);
        }

        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !exists(expired));
        assertTrue(exists(recent), "89 days is within the 90 of a tenant whose plan is not known");
        double deleted = new PrometheusScrape(RestAssured.given().get("/q/metrics").asString())
                .samples("nexus_workflow_executions_deleted_total", Map.of("service", "workflow-service")).stream()
                .mapToDouble(PrometheusScrape.Sample::value).sum();
        assertTrue(deleted >= 1, "counted: " + deleted);
    }

    private boolean exists(UUID id) {
        return pool.preparedQuery("SELECT count(*) FROM executions WHERE id = $1").execute(Tuple.of(id))
                .await().atMost(WAIT).iterator().next().getLong(0) == 1;
    }
}
