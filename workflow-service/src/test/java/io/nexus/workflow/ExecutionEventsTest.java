package io.nexus.workflow;

import static io.nexus.workflow.WorkflowFixtures.developer;
import static io.nexus.workflow.WorkflowFixtures.newTenant;
import static io.nexus.workflow.WorkflowFixtures.register;
import static io.nexus.workflow.WorkflowFixtures.slow;
import static io.nexus.workflow.WorkflowFixtures.threeSteps;
import static io.nexus.workflow.WorkflowFixtures.unique;
import static io.nexus.workflow.WorkflowFixtures.viewer;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.nexus.common.identity.CallerIdentity;
import io.nexus.common.identity.IdentityTokens;
import io.nexus.common.testing.CallerSpecs;
import io.nexus.common.testing.TestIdentities;
import io.nexus.workflow.SseConnection.Event;
import io.nexus.workflow.service.ExecutionEventStream;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/** {@code GET /executions/{id}/events} (docs/api.md §4) read as a client reads it, over a real connection. */
@QuarkusTest
class ExecutionEventsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    IdentityTokens tokens;
    @Inject
    ExecutionEventStream streams;

    private CallerSpecs callers;

    @BeforeEach
    void setUp() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        callers = new CallerSpecs(tokens);
    }

    @Test
    void aCompletedExecutionStreamsEveryStepThenEndAndCloses() throws Exception {
        String tenant = newTenant();
        String name = register(callers, tenant, threeSteps(unique("done")));
        String id = callers.as(developer(tenant)).body("{\"inputs\": {\"x\": 5}}")
                .post("/api/v1/workflows/" + name + "/executions").then().statusCode(200)
                .body("status", equalTo("completed")).extract().path("executionId");
        JsonNode execution = JSON.readTree(callers.as(viewer(tenant)).get("/api/v1/executions/" + id).then()
                .statusCode(200).extract().asString());

        try (SseConnection events = open(viewer(tenant), id)) {
            assertEquals(200, events.status());
            assertEquals("text/event-stream", events.header("Content-Type").split(";")[0]);
            assertEquals("no-cache", events.header("Cache-Control"));
            List<Event> received = events.awaitEnd(WAIT);
            List<Event> named = received.stream().filter(event -> !event.isComment()).toList();
            assertEquals(List.of("step", "step", "step", "end"), named.stream().map(Event::name).toList());
            assertEquals(List.of("1", "2", "3", "4"), named.stream().map(Event::id).toList());
            for (int i = 0; i < 3; i++) {
                assertEquals(execution.get("steps").get(i), JSON.readTree(named.get(i).data()),
                        "a step is rendered as GET /executions/{id} renders it");
            }
            JsonNode end = JSON.readTree(named.get(3).data());
            assertEquals(id, end.get("executionId").asText());
            assertEquals("completed", end.get("status").asText());
            assertEquals(11, end.at("/outputs/shape/result").asInt());
            assertTrue(end.get("error").isNull());
            assertTrue(end.get("durationMs").isIntegralNumber() && end.get("durationMs").asLong() >= 0);
        }
    }

    @Test
    void aRunningExecutionStreamsUntilItIsCancelled() throws Exception {
        String tenant = newTenant();
        String name = register(callers, tenant, slow(unique("long"), 60_000));
        String id = callers.as(developer(tenant)).body("{\"waitMs\": 100}")
                .post("/api/v1/workflows/" + name + "/executions").then().statusCode(202)
                .body("status", equalTo("running")).extract().path("executionId");

        try (SseConnection events = open(developer(tenant), id)) {
            assertEquals(200, events.status());
            // Silence is kept alive (every second in tests) and the stream stays open while the execution runs.
            Event first = events.next(Duration.ofSeconds(5));
            assertTrue(first.isComment(), "a keep-alive comment, not " + first);
            assertEquals("keep-alive", first.comment());
            callers.as(developer(tenant)).post("/api/v1/executions/" + id + "/cancel").then().statusCode(200);
            Event end = events.nextEvent(WAIT);
            assertEquals("end", end.name());
            JsonNode result = JSON.readTree(end.data());
            assertEquals(id, result.get("executionId").asText());
            assertEquals("cancelled", result.get("status").asText());
            assertEquals("cancelled", result.at("/error/code").asText());
            assertTrue(result.get("outputs").isNull());
            assertTrue(events.awaitEnd(WAIT).stream().allMatch(Event::isComment), "nothing follows end");
        }
    }

    @Test
    void stepsCommittedWhileTheExecutionRunsArriveBeforeItEnds() throws Exception {
        String tenant = newTenant();
        String name = register(callers, tenant, """
                {"name": "%s",
                 "nodes": [{"id": "announce", "type": "event", "config": {"type": "work.started", "data": "{'n': 1}"}},
                           {"id": "stuck", "type": "transform", "config": {"expression": "1 / 0"},
                            "retry": {"maxAttempts": 10, "backoffMs": 60000}}],
                 "edges": [{"from": "announce", "to": "stuck"}]}
                """.formatted(unique("live")));
        String id = callers.as(developer(tenant)).body("{\"mode\": \"async\"}")
                .post("/api/v1/workflows/" + name + "/executions").then().statusCode(202)
                .extract().path("executionId");

        try (SseConnection events = open(developer(tenant), id)) {
            Event step = events.nextEvent(WAIT);
            assertEquals("step", step.name());
            assertEquals("1", step.id());
            JsonNode announce = JSON.readTree(step.data());
            assertEquals("announce", announce.get("node").asText());
            assertEquals("completed", announce.get("status").asText());
            assertEquals(1, announce.get("attempts").asInt());
            assertTrue(announce.at("/output/eventId").isTextual());
            callers.as(developer(tenant)).get("/api/v1/executions/" + id).then().body("status", equalTo("running"));

            callers.as(developer(tenant)).post("/api/v1/executions/" + id + "/cancel").then().statusCode(200);
            List<Event> rest = new ArrayList<>(events.awaitEnd(WAIT).stream().filter(e -> !e.isComment()).toList());
            assertEquals("end", rest.get(rest.size() - 1).name());
            assertEquals("cancelled", JSON.readTree(rest.get(rest.size() - 1).data()).get("status").asText());
            assertTrue(rest.stream().noneMatch(event -> event.data().contains("\"announce\"")),
                    "a step is sent again only when its status or attempts change");
        }
    }

    @Test
    void anAsyncExecutionIsFollowedToItsEnd() throws Exception {
        String tenant = newTenant();
        String name = register(callers, tenant, threeSteps(unique("async")));
        String id = callers.as(developer(tenant)).body("{\"inputs\": {\"x\": 1}, \"mode\": \"async\"}")
                .post("/api/v1/workflows/" + name + "/executions").then().statusCode(202)
                .extract().path("executionId");

        try (SseConnection events = open(viewer(tenant), id)) {
            List<Event> named = events.awaitEnd(WAIT).stream().filter(event -> !event.isComment()).toList();
            assertEquals(List.of("double", "inc", "shape"), named.subList(0, 3).stream()
                    .map(event -> read(event).get("node").asText()).toList());
            assertEquals("end", named.get(3).name());
            assertEquals(3, read(named.get(3)).at("/outputs/shape/result").asInt());
            assertEquals(4, named.size());
        }
    }

    @Test
    void anotherTenantsExecutionIs404BeforeAnyEvent() throws Exception {
        String owner = newTenant();
        String name = register(callers, owner, slow(unique("mine"), 60_000));
        String id = callers.as(developer(owner)).body("{\"mode\": \"async\"}")
                .post("/api/v1/workflows/" + name + "/executions").then().statusCode(202)
                .extract().path("executionId");
        try {
            assertNotFound(developer(newTenant()), id);
        } finally {
            callers.as(developer(owner)).post("/api/v1/executions/" + id + "/cancel").then().statusCode(200);
        }
    }

    @Test
    void unknownAndMalformedIdsAre404() throws Exception {
        assertNotFound(developer(newTenant()), UUID.randomUUID().toString());
        assertNotFound(developer(newTenant()), "not-an-id");
    }

    @Test
    void onlyTenantKeysMayFollowExecutions() throws Exception {
        try (SseConnection events = open(TestIdentities.platformAdmin(), UUID.randomUUID().toString())) {
            assertEquals(403, events.status());
            assertEquals("application/problem+json", events.header("Content-Type").split(";")[0]);
        }
    }

    @Test
    void aClientThatGoesAwayStopsItsStream() throws Exception {
        String tenant = newTenant();
        String name = register(callers, tenant, slow(unique("away"), 60_000));
        String id = callers.as(developer(tenant)).body("{\"mode\": \"async\"}")
                .post("/api/v1/workflows/" + name + "/executions").then().statusCode(202)
                .extract().path("executionId");
        try {
            Awaitility.await().atMost(WAIT).until(() -> streams.openStreams() == 0);
            SseConnection events = open(developer(tenant), id);
            events.next(Duration.ofSeconds(5));
            assertEquals(1, streams.openStreams());
            events.close();
            Awaitility.await().atMost(WAIT).until(() -> streams.openStreams() == 0);
        } finally {
            callers.as(developer(tenant)).post("/api/v1/executions/" + id + "/cancel").then().statusCode(200);
        }
    }

    private void assertNotFound(CallerIdentity caller, String id) throws Exception {
        try (SseConnection events = open(caller, id)) {
            assertEquals(404, events.status());
            assertEquals("application/problem+json", events.header("Content-Type").split(";")[0]);
            JsonNode problem = JSON.readTree(events.body(WAIT));
            assertEquals(404, problem.get("status").asInt());
            assertTrue(problem.get("detail").asText().contains("no execution"), problem.toString());
        }
    }

    private SseConnection open(CallerIdentity caller, String id) throws Exception {
        URI uri = URI.create("http://localhost:" + RestAssured.port + "/api/v1/executions/" + id + "/events");
        return SseConnection.open(uri, IdentityTokens.HEADER, tokens.sign(caller));
    }

    private static JsonNode read(Event event) {
        try {
            return JSON.readTree(event.data());
        } catch (Exception e) {
            throw new AssertionError("event data is not JSON: " + event.data(), e);
        }
    }
}
