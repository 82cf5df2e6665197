package io.nexus.workflow;

import static io.nexus.workflow.WorkflowFixtures.developer;
import static io.nexus.workflow.WorkflowFixtures.execution;
import static io.nexus.workflow.WorkflowFixtures.newTenant;
import static io.nexus.workflow.WorkflowFixtures.register;
import static io.nexus.workflow.WorkflowFixtures.unique;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.nexus.common.identity.IdentityTokens;
import io.nexus.common.testing.CallerSpecs;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Durable executions (docs/api.md §4, §5): delays and waits that park the execution in PostgreSQL, signals, and a run
 * re-driven from its committed steps when the replica that held it stopped renewing its lease.
 */
@QuarkusTest
class DurableExecutionTest {

    private static final Duration SETTLES = Duration.ofSeconds(15);

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
    void aLongDelayParksTheExecutionWithoutAWorkerAndFiresFromTheDatabase() {
        String tenant = newTenant();
        String name = register(callers, tenant, """
                {"name": "%s", "nodes": [
                   {"id": "pause", "type": "delay", "config": {"durationMs": 2500}},
                   {"id": "after", "type": "transform", "config": {"expression": "{'fired': nodes.pause.firedAt}"}}],
                 "edges": [{"from": "pause", "to": "after"}]}""".formatted(unique("delay")));
        Instant started = Instant.now();
        String id = startAsync(tenant, name, "{}");

        Awaitility.await().atMost(SETTLES).until(() -> "waiting".equals(execution(callers, tenant, id).getString("status")));
        JsonPath parked = execution(callers, tenant, id);
        assertEquals("waiting", stepStatuses(parked).get("pause"));
        assertNotNull(parked.getString("steps.find { it.node == 'pause' }.output.dueAt"));
        assertNull(row("SELECT lease_owner FROM executions WHERE id = $1::uuid", id).getString(0),
                "a parked execution holds no replica");

        JsonPath done = awaitEnd(tenant, id);
        assertEquals("completed", done.getString("status"));
        Instant fired = Instant.parse(done.getString("outputs.after.fired"));
        assertTrue(!fired.isBefore(started.plusMillis(2500)), "fired at " + fired + ", started " + started);
        assertEquals(Map.of("pause", "completed", "after", "completed"), stepStatuses(done));
        assertEquals(2L, count("SELECT count(*) FROM execution_steps WHERE execution_id = $1::uuid", id));
    }

    @Test
    void aShortDelayStaysInMemoryAndASyncStartStillAnswers200() {
        String tenant = newTenant();
        String name = register(callers, tenant, """
                {"name": "%s", "nodes": [{"id": "pause", "type": "delay", "config": {"durationMs": 200}}]}"""
                .formatted(unique("short")));
        callers.as(developer(tenant)).body("{}").post("/api/v1/workflows/" + name + "/executions").then()
                .statusCode(200)
                .body("status", equalTo("completed"))
                .body("outputs.pause.firedAt", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void aSignalDuringAWaitResumesItOnceWithItsPayload() {
        String tenant = newTenant();
        String name = register(callers, tenant, waitThenUse(unique("signal"), 60_000));
        String id = startAsync(tenant, name, "{}");
        Awaitility.await().atMost(SETTLES).until(() -> "waiting".equals(execution(callers, tenant, id).getString("status")));

        signal(tenant, id, "approve", "{\"payload\": {\"by\": \"ana\"}}").statusCode(202)
                .body("signal", equalTo("approve"));
        JsonPath done = awaitEnd(tenant, id);
        assertEquals("completed", done.getString("status"));
        assertEquals("ana", done.getString("outputs.use.approvedBy"));
        assertEquals(1L, count("SELECT count(*) FROM execution_signals WHERE execution_id = $1::uuid "
                + "AND consumed_by = 'gate'", id));

        // After the end a signal resumes nothing and is not stored.
        signal(tenant, id, "approve", "{\"payload\": 1}").statusCode(409)
                .body("detail", containsString("already ended"));
        assertEquals(1L, count("SELECT count(*) FROM execution_signals WHERE execution_id = $1::uuid", id));
    }

    @Test
    void aSignalMayComeWithoutABodyOrAContentType() {
        String tenant = newTenant();
        String name = register(callers, tenant, """
                {"name": "%s", "nodes": [
                   {"id": "first", "type": "wait", "config": {"signal": "go", "timeoutMs": 60000}},
                   {"id": "second", "type": "wait", "config": {"signal": "go", "timeoutMs": 60000}}],
                 "edges": [{"from": "first", "to": "second"}]}""".formatted(unique("bare")));
        String id = startAsync(tenant, name, "{}");
        Awaitility.await().atMost(SETTLES).until(() -> "waiting".equals(execution(callers, tenant, id).getString("status")));

        callers.as(developer(tenant)).post("/api/v1/executions/" + id + "/signals/go").then().statusCode(202)
                .body("signal", equalTo("go"));
        callers.as(developer(tenant)).noContentType().post("/api/v1/executions/" + id + "/signals/go").then()
                .statusCode(202);
        JsonPath done = awaitEnd(tenant, id);
        assertEquals("completed", done.getString("status"));
        assertNull(done.get("outputs.second"));
        assertEquals(2L, count("SELECT count(*) FROM execution_signals WHERE execution_id = $1::uuid "
                + "AND payload IS NULL", id));
    }

    @Test
    void aSignalSentBeforeTheWaitStartsIsKeptForIt() {
        String tenant = newTenant();
        String name = register(callers, tenant, """
                {"name": "%s", "nodes": [
                   {"id": "pause", "type": "delay", "config": {"durationMs": 2000}},
                   {"id": "gate", "type": "wait", "config": {"signal": "approve", "timeoutMs": 30000}}],
                 "edges": [{"from": "pause", "to": "gate"}]}""".formatted(unique("early")));
        String id = startAsync(tenant, name, "{}");
        signal(tenant, id, "approve", "{\"payload\": \"early\"}").statusCode(202);
        JsonPath done = awaitEnd(tenant, id);
        assertEquals("completed", done.getString("status"));
        assertEquals("early", done.getString("outputs.gate"));
    }

    @Test
    void aWaitWithoutItsSignalTimesOutAndALaterSignalIsRefused() {
        String tenant = newTenant();
        String name = register(callers, tenant, """
                {"name": "%s", "nodes": [{"id": "gate", "type": "wait",
                   "config": {"signal": "approve", "timeoutMs": 1500}}]}""".formatted(unique("timeout")));
        String id = startAsync(tenant, name, "{}");
        JsonPath done = awaitEnd(tenant, id);
        assertEquals("failed", done.getString("status"));
        assertEquals("timeout", done.getString("error.code"));
        assertEquals("gate", done.getString("error.node"));
        signal(tenant, id, "approve", "{}").statusCode(409);
    }

    @Test
    void signalsAreValidatedAndTenantScoped() {
        String tenant = newTenant();
        String name = register(callers, tenant, waitThenUse(unique("scoped"), 60_000));
        String id = startAsync(tenant, name, "{}");
        signal(tenant, id, "no spaces allowed", "{}").statusCode(400).body("errors[0].field", equalTo("name"));
        signal(tenant, id, "approve", "{\"payload\": 1, \"extra\": true}").statusCode(400)
                .body("errors[0].field", equalTo("extra"));
        signal(newTenant(), id, "approve", "{}").statusCode(404);
        signal(tenant, UUID.randomUUID().toString(), "approve", "{}").statusCode(404);
        assertEquals(0L, count("SELECT count(*) FROM execution_signals WHERE execution_id = $1::uuid", id));
        callers.as(developer(tenant)).post("/api/v1/executions/" + id + "/cancel").then().statusCode(200);
    }

    @Test
    void anExecutionWhoseReplicaDiedIsReDrivenFromItsLastCommittedStep() {
        String tenant = newTenant();
        String name = register(callers, tenant, """
                {"name": "%s", "nodes": [
                   {"id": "announce", "type": "event", "config": {"type": "order.seen", "data": "inputs"}},
                   {"id": "after", "type": "transform", "config": {"expression": "{'event': nodes.announce.eventId}"}}],
                 "edges": [{"from": "announce", "to": "after"}]}""".formatted(unique("redrive")));
        UUID versionId = row("SELECT id FROM workflow_versions WHERE tenant_id = $1::uuid", tenant).getUUID(0);
        UUID id = UUID.randomUUID();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        // What a replica killed right after committing the event step leaves behind: a running execution with a
        // lapsed lease, and the committed step.
        pool.preparedQuery("INSERT INTO executions (id, tenant_id, workflow, workflow_version_id, version, status, "
                + "mode, channel, inputs, deadline_at, lease_owner, lease_until, created_at, started_at) VALUES "
                + "($1, $2::uuid, $3, $4, 1, 'running', 'async', 'api', '{\"order\": 7}', $5, 'dead-replica', $6, "
                + "$7, $7)")
                .execute(Tuple.from(new Object[] { id, tenant, name, versionId, now.plusHours(1),
                        now.minusSeconds(1), now.minusSeconds(5) }))
                .await().atMost(Duration.ofSeconds(5));
        pool.preparedQuery("INSERT INTO execution_steps (execution_id, node, position, status, attempts, started_at, "
                + "finished_at, output) VALUES ($1, 'announce', 0, 'completed', 1, $2, $2, "
                + "'{\"eventId\": \"committed-before-the-crash\"}')")
                .execute(Tuple.of(id, now.minusSeconds(4))).await().atMost(Duration.ofSeconds(5));

        JsonPath done = awaitEnd(tenant, id.toString());
        assertEquals("completed", done.getString("status"));
        assertEquals("committed-before-the-crash", done.getString("outputs.after.event"),
                "the committed event step was taken, not run again");
        assertEquals(0L, count("SELECT count(*) FROM outbox_event WHERE aggregate_id = $1 "
                + "AND topic LIKE '%integration%'", id.toString()), "no second integration event");
        assertEquals(Map.of("announce", "completed", "after", "completed"), stepStatuses(done));
    }

    private static String waitThenUse(String name, long timeoutMs) {
        return """
                {"name": "%s", "nodes": [
                   {"id": "gate", "type": "wait", "config": {"signal": "approve", "timeoutMs": %d}},
                   {"id": "use", "type": "transform", "config": {"expression": "{'approvedBy': nodes.gate.by}"}}],
                 "edges": [{"from": "gate", "to": "use"}]}""".formatted(name, timeoutMs);
    }

    private io.restassured.response.ValidatableResponse signal(String tenant, String id, String signal,
            String body) {
        return callers.as(developer(tenant)).body(body)
                .post("/api/v1/executions/" + id + "/signals/" + signal).then();
    }

    private String startAsync(String tenant, String name, String inputs) {
        return callers.as(developer(tenant)).body("{\"mode\": \"async\", \"inputs\": " + inputs + "}")
                .post("/api/v1/workflows/" + name + "/executions").then().statusCode(202)
                .extract().path("executionId");
    }

    private JsonPath awaitEnd(String tenant, String id) {
        Awaitility.await().atMost(SETTLES).pollInterval(Duration.ofMillis(100)).until(() -> List
                .of("completed", "failed", "cancelled").contains(execution(callers, tenant, id).getString("status")));
        return execution(callers, tenant, id);
    }

    private static Map<String, String> stepStatuses(JsonPath execution) {
        Map<String, String> statuses = new HashMap<>();
        List<Map<String, Object>> steps = execution.getList("steps");
        steps.forEach(step -> statuses.put((String) step.get("node"), (String) step.get("status")));
        return statuses;
    }

    private Row row(String sql, String parameter) {
        return pool.preparedQuery(sql).execute(Tuple.of(parameter)).await().atMost(Duration.ofSeconds(5))
                .iterator().next();
    }

    private long count(String sql, String parameter) {
        return row(sql, parameter).getLong(0);
    }
}
