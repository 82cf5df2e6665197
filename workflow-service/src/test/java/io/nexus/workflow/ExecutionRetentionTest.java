package io.nexus.workflow;

import static io.nexus.workflow.WorkflowFixtures.developer;
import static io.nexus.workflow.WorkflowFixtures.newTenant;
import static io.nexus.workflow.WorkflowFixtures.register;
import static io.nexus.workflow.WorkflowFixtures.single;
import static io.nexus.workflow.WorkflowFixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.nexus.common.identity.IdentityTokens;
import io.nexus.common.testing.CallerSpecs;
import io.nexus.common.testing.PrometheusScrape;
import io.nexus.events.EventCodec;
import io.nexus.events.EventPayload;
import io.nexus.events.NexusEvent;
import io.nexus.events.tenant.Quotas;
import io.nexus.events.tenant.TenantCreated;
import io.nexus.events.tenant.TenantUpdated;
import io.nexus.workflow.repository.ExecutionHistory;
import io.nexus.workflow.repository.ExecutionHistory.DeletedBatch;
import io.nexus.workflow.repository.ExecutionHistory.TenantRetention;
import io.nexus.workflow.retention.RetentionSweeper;
import io.nexus.workflow.retention.RetentionSweeper.Sweep;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Execution history retention (docs/api.md §4.4): ended root executions older than their tenant's plan keeps them are
 * deleted with everything that hangs off them, in batches of at most batch-size roots, and nothing else is. History is
 * made old by backdating finished_at in SQL; the sweeps are called directly (the periodic one is an hour away here).
 */
@QuarkusTest
@TestProfile(ExecutionRetentionTest.SmallBatchesNoTimer.class)
class ExecutionRetentionTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String DELETED_METRIC = "nexus_workflow_executions_deleted_total";
    static final int BATCH = 3;

    /** free 7, standard 30, enterprise 90 days (application.properties), others 90; batches of 3 roots. */
    public static class SmallBatchesNoTimer implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("nexus.workflow.retention.interval", "1h",
                    "nexus.workflow.retention.batch-size", Integer.toString(BATCH),
                    "nexus.workflow.retention.batch-pause", "10ms");
        }
    }

    @Inject
    IdentityTokens tokens;
    @Inject
    Pool pool;
    @Inject
    RetentionSweeper sweeper;
    @Inject
    ExecutionHistory history;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private CallerSpecs callers;

    @BeforeEach
    void setUp() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        callers = new CallerSpecs(tokens);
    }

    @Test
    void oldEndedExecutionsGoWithEverythingThatHangsOffThemAndNothingElseDoes() {
        String free = newTenant();
        plan(free, "free");
        String child = register(callers, free, single(unique("child"), "'from the child'"));
        String parent = register(callers, free, """
                {"name": "%s", "nodes": [
                   {"id": "call", "type": "subworkflow", "config": {"workflow": "%s"}},
                   {"id": "gate", "type": "wait", "config": {"signal": "go", "timeoutMs": 60000}}],
                 "edges": [{"from": "call", "to": "gate"}]}""".formatted(unique("parent"), child));
        // A real tree: a root started with an Idempotency-Key, its child, the steps of both, a signal it took.
        String root = callers.as(developer(free)).header("Idempotency-Key", unique("key")).body("{\"mode\": \"async\"}")
                .post("/api/v1/workflows/" + parent + "/executions").then().statusCode(202)
                .extract().path("executionId");
        callers.as(developer(free)).body("{\"payload\": 1}").post("/api/v1/executions/" + root + "/signals/go")
                .then().statusCode(202);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> "completed".equals(
                callers.as(developer(free)).get("/api/v1/executions/" + root).then().extract().path("status")));
        String childId = value("SELECT id::text FROM executions WHERE parent_id = $1::uuid", root);
        Set<String> tree = Set.of(root, childId);
        assertTrue(count("SELECT count(*) FROM execution_steps WHERE execution_id::text = ANY($1)", tree) >= 3);
        assertEquals(1, count("SELECT count(*) FROM execution_signals WHERE execution_id::text = ANY($1)", tree));
        assertEquals(1, count("SELECT count(*) FROM idempotency_keys WHERE execution_id::text = ANY($1)", tree));
        update("UPDATE executions SET finished_at = now() - interval '8 days' "
                + "WHERE id = $1::uuid OR root_id = $1::uuid", root);

        UUID version = version(free, child);
        UUID recent = insert(free, version, "completed", 6, null);
        UUID running = insert(free, version, "running", 100, null);
        UUID waiting = insert(free, version, "waiting", 100, null);
        UUID oldCancelled = insert(free, version, "cancelled", 8, null);
        // A child may outlive its ended root: the tree stays whole until the child ends too.
        UUID endedRootOfLiveChild = insert(free, version, "failed", 100, null);
        UUID liveChild = insert(free, version, "waiting", 100, endedRootOfLiveChild);

        String enterprise = newTenant();
        plan(enterprise, "enterprise");
        UUID enterpriseVersion = version(enterprise, register(callers, enterprise, single(unique("e"), "1")));
        UUID enterpriseSameAge = insert(enterprise, enterpriseVersion, "completed", 8, null);
        UUID enterpriseTooOld = insert(enterprise, enterpriseVersion, "failed", 91, null);

        // Tenants this service has no plan for get the longest, 90 days: one whose first event has not arrived, and
        // one projected before V11 (plan NULL), which would lose 30 to 90 days of history if taken for standard.
        String unknown = newTenant();
        UUID unknownVersion = version(unknown, register(callers, unknown, single(unique("u"), "1")));
        UUID unknownForty = insert(unknown, unknownVersion, "completed", 40, null);
        UUID unknownTooOld = insert(unknown, unknownVersion, "completed", 91, null);
        String projectedBefore = newTenant();
        plan(projectedBefore, null);
        UUID beforeVersion = version(projectedBefore, register(callers, projectedBefore, single(unique("b"), "1")));
        UUID beforeForty = insert(projectedBefore, beforeVersion, "completed", 40, null);

        double metricBefore = deletedMetric();
        Sweep sweep = sweeper.sweep().await().atMost(WAIT);

        List<String> gone = List.of(root, childId, oldCancelled.toString(), enterpriseTooOld.toString(),
                unknownTooOld.toString());
        List<String> kept = List.of(recent.toString(), running.toString(), waiting.toString(),
                endedRootOfLiveChild.toString(), liveChild.toString(), enterpriseSameAge.toString(),
                unknownForty.toString(), beforeForty.toString());
        assertEquals(0, count("SELECT count(*) FROM executions WHERE id::text = ANY($1)", gone), "deleted");
        assertEquals(kept.size(), count("SELECT count(*) FROM executions WHERE id::text = ANY($1)", kept), "kept");
        assertEquals(kept.size(), count("SELECT count(*) FROM execution_steps WHERE execution_id::text = ANY($1)",
                kept), "the kept executions keep their steps");
        // Nothing anywhere still points at what was deleted.
        assertEquals(0, count("SELECT count(*) FROM execution_steps WHERE execution_id::text = ANY($1)", gone));
        assertEquals(0, count("SELECT count(*) FROM execution_signals WHERE execution_id::text = ANY($1)", gone));
        assertEquals(0, count("SELECT count(*) FROM idempotency_keys WHERE execution_id::text = ANY($1)", gone));
        assertEquals(0, count("SELECT count(*) FROM executions WHERE parent_id::text = ANY($1) "
                + "OR root_id::text = ANY($1)", gone));

        assertEquals(gone.size(), sweep.executions());
        assertEquals(gone.size() - 1, sweep.roots(), "the child went with its root");
        assertEquals(gone.size(), deletedMetric() - metricBefore, 0.0);

        // Deleted reads like any unknown execution; kept ones are still there.
        callers.as(developer(free)).get("/api/v1/executions/" + root).then().statusCode(404);
        callers.as(developer(free)).get("/api/v1/executions/" + childId).then().statusCode(404);
        callers.as(developer(free)).get("/api/v1/executions/" + recent).then().statusCode(200);
        callers.as(developer(enterprise)).get("/api/v1/executions/" + enterpriseSameAge).then().statusCode(200);

        // Once the child ends, its whole tree goes at the next sweep.
        update("UPDATE executions SET status = 'completed', finished_at = now() - interval '8 days' "
                + "WHERE id = $1::uuid", liveChild.toString());
        sweeper.sweep().await().atMost(WAIT);
        assertEquals(0, count("SELECT count(*) FROM executions WHERE id::text = ANY($1)",
                List.of(endedRootOfLiveChild.toString(), liveChild.toString())));
    }

    @Test
    void aBatchDeletesAtMostBatchSizeRootsAndASweepGoesOnUntilNothingIsLeft() {
        String tenant = newTenant();
        plan(tenant, "free");
        UUID version = version(tenant, register(callers, tenant, single(unique("batch"), "1")));
        List<UUID> roots = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            UUID root = insert(tenant, version, "completed", 10 + i, null);
            insert(tenant, version, "completed", 10 + i, root);
            roots.add(root);
        }
        TenantRetention retention = new TenantRetention(UUID.fromString(tenant), 7);

        DeletedBatch first = history.deleteBatch(retention, ExecutionHistory.START, BATCH).await().atMost(WAIT);
        assertEquals(BATCH, first.examined());
        assertEquals(BATCH, first.roots());
        assertEquals(2 * BATCH, first.executions(), "each root with its child");
        // The oldest go first.
        assertEquals(Set.of(roots.get(4), roots.get(5), roots.get(6)), roots.stream()
                .filter(id -> count("SELECT count(*) FROM executions WHERE id = $1", id) == 0)
                .collect(Collectors.toSet()));

        Sweep sweep = sweeper.sweep().await().atMost(WAIT);
        assertEquals(0, count("SELECT count(*) FROM executions WHERE tenant_id = $1::uuid", tenant));
        assertEquals(2, sweep.batches(), "4 roots left: a full batch of 3, then one of 1 that ends the sweep");
        assertEquals(4, sweep.roots());
        assertEquals(8, sweep.executions());
    }

    @Test
    void sweepsRunningAtOnceShareTheWorkWithoutFailingOrCountingTwice() {
        sweeper.sweep().await().atMost(WAIT); // whatever earlier tests left to delete, so the totals below are ours
        List<String> tenants = List.of(newTenant(), newTenant());
        int expected = 0;
        for (String tenant : tenants) {
            plan(tenant, "standard");
            UUID version = version(tenant, register(callers, tenant, single(unique("both"), "1")));
            for (int i = 0; i < 20; i++) {
                UUID root = insert(tenant, version, i % 2 == 0 ? "completed" : "failed", 31 + i % 5, null);
                insert(tenant, version, "cancelled", 31, root);
                expected += 2;
            }
        }
        double metricBefore = deletedMetric();

        // Two replicas' sweeps, as the database sees them: concurrent statements over the same tenants.
        var both = Uni.combine().all().unis(sweeper.sweep(), sweeper.sweep()).asTuple().await().atMost(WAIT);

        assertEquals(expected, both.getItem1().executions() + both.getItem2().executions());
        assertEquals(expected / 2, both.getItem1().roots() + both.getItem2().roots());
        assertEquals(expected, deletedMetric() - metricBefore, 0.0);
        for (String tenant : tenants) {
            assertEquals(0, count("SELECT count(*) FROM executions WHERE tenant_id = $1::uuid", tenant));
        }
    }

    @Test
    void thePlanComesWithTheTenantEventsAndALaterEventWins() throws Exception {
        String tenant = newTenant();
        Instant created = Instant.now();
        Quotas quotas = new Quotas(10, 100, 600, 10, 10);
        send(new TenantCreated(tenant, "t", "free", "active", quotas, created));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "free".equals(planOf(tenant)));
        send(new TenantUpdated(tenant, "t", "enterprise", "active", quotas, created.plusSeconds(1)));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "enterprise".equals(planOf(tenant)));
        // Late and older: changes nothing (a newer marker event shows it was consumed before we look).
        send(new TenantUpdated(tenant, "t", "free", "active", quotas, created.minusSeconds(60)));
        String marker = newTenant();
        send(new TenantCreated(marker, "m", "standard", "active", quotas, created));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "standard".equals(planOf(marker)));
        assertEquals("enterprise", planOf(tenant));

        // And it decides: 8 days is past free's 7 but within enterprise's 90.
        UUID version = version(tenant, register(callers, tenant, single(unique("planned"), "1")));
        UUID execution = insert(tenant, version, "completed", 8, null);
        sweeper.sweep().await().atMost(WAIT);
        assertEquals(1, count("SELECT count(*) FROM executions WHERE id = $1", execution));
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private void plan(String tenant, String plan) {
        pool.preparedQuery("INSERT INTO tenant_quotas (tenant_id, status, plan, workflows, executions_per_day, "
                + "concurrent_executions, updated_at) VALUES ($1::uuid, 'active', $2, 100, 100000, 100, now())")
                .execute(Tuple.of(tenant, plan)).await().atMost(WAIT);
    }

    /** An execution (a root, or a child of {@code parent}) with one step, created and ended {@code daysAgo}. */
    private UUID insert(String tenant, UUID version, String status, int daysAgo, UUID parent) {
        UUID id = UUID.randomUUID();
        boolean ended = Set.of("completed", "failed", "cancelled").contains(status);
        pool.preparedQuery("INSERT INTO executions (id, tenant_id, workflow, workflow_version_id, version, status, "
                + "mode, channel, inputs, deadline_at, created_at, started_at, finished_at, parent_id, root_id, depth) "
                + "SELECT $1, $2::uuid, w.name, v.id, v.version, $4, 'async', 'api', '{\"n\": 1}', now(), "
                + "now() - $5::int * interval '1 day' - interval '1 minute', "
                + "now() - $5::int * interval '1 day' - interval '1 minute', "
                + "CASE WHEN $6::boolean THEN now() - $5::int * interval '1 day' END, $7::uuid, $7::uuid, "
                + "CASE WHEN $7::uuid IS NULL THEN 0 ELSE 1 END "
                + "FROM workflow_versions v JOIN workflows w ON w.id = v.workflow_id WHERE v.id = $3")
                .execute(Tuple.from(new Object[] { id, tenant, version, status, daysAgo, ended, parent }))
                .await().atMost(WAIT);
        pool.preparedQuery("INSERT INTO execution_steps (execution_id, node, position, status, attempts) "
                + "VALUES ($1, 'only', 0, $2, 1)").execute(Tuple.of(id, ended ? status : "waiting"))
                .await().atMost(WAIT);
        return id;
    }

    private UUID version(String tenant, String workflow) {
        return pool.preparedQuery("SELECT v.id FROM workflow_versions v JOIN workflows w ON w.id = v.workflow_id "
                + "WHERE w.tenant_id = $1::uuid AND w.name = $2").execute(Tuple.of(tenant, workflow))
                .await().atMost(WAIT).iterator().next().getUUID(0);
    }

    private String planOf(String tenant) {
        var rows = pool.preparedQuery("SELECT plan FROM tenant_quotas WHERE tenant_id = $1::uuid")
                .execute(Tuple.of(tenant)).await().atMost(WAIT);
        return rows.size() == 0 ? null : rows.iterator().next().getString(0);
    }

    private long count(String sql, Object parameter) {
        Object value = parameter instanceof java.util.Collection<?> list ? list.toArray(new String[0]) : parameter;
        Row row = pool.preparedQuery(sql).execute(Tuple.of(value)).await().atMost(WAIT).iterator().next();
        return row.getLong(0);
    }

    private String value(String sql, String parameter) {
        return pool.preparedQuery(sql).execute(Tuple.of(parameter)).await().atMost(WAIT).iterator().next()
                .getString(0);
    }

    private void update(String sql, String parameter) {
        pool.preparedQuery(sql).execute(Tuple.of(parameter)).await().atMost(WAIT);
    }

    /** The counter's value; it is one series, there from start-up (docs/api.md §7), so a missing one fails. */
    private static double deletedMetric() {
        List<PrometheusScrape.Sample> samples = new PrometheusScrape(RestAssured.given().get("/q/metrics").asString())
                .samples(DELETED_METRIC, Map.of("service", "workflow-service"));
        assertEquals(1, samples.size(), DELETED_METRIC + " in /q/metrics");
        return samples.get(0).value();
    }

    private void send(EventPayload payload) throws Exception {
        NexusEvent<EventPayload> event = NexusEvent.of(UUID.randomUUID().toString(), "tenant-service",
                Instant.now(), payload);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", bootstrapServers,
                "key.serializer", StringSerializer.class.getName(),
                "value.serializer", ByteArraySerializer.class.getName()))) {
            producer.send(new ProducerRecord<>("test.nexus.tenants", event.subject(), new EventCodec().encode(event)))
                    .get();
        }
    }
}
