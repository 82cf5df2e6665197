package io.nexus.workflow;

import static io.nexus.workflow.WorkflowFixtures.execution;
import static io.nexus.workflow.WorkflowFixtures.newTenant;
import static io.nexus.workflow.WorkflowFixtures.register;
import static io.nexus.workflow.WorkflowFixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.nexus.common.http.Channel;
import io.nexus.common.identity.Audiences;
import io.nexus.common.identity.CallerIdentity;
import io.nexus.common.identity.IdentityTokens;
import io.nexus.common.identity.Role;
import io.nexus.common.testing.CallerSpecs;
import io.nexus.common.testing.TestIdentities;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

/**
 * session nodes and the {@code session} variable (docs/api.md §5) through the public API, against a real HTTP server
 * playing session-service's internal API ({@link FakeSessionService}), executions on real PostgreSQL.
 */
@QuarkusTest
@WithTestResource(FakeSessionService.class)
class SessionNodeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Greets by the session's user, merges the order into the session (dropping the cart), then reads it back. */
    private static final String REMEMBER_ORDER = """
            {"name": "%s",
             "nodes": [{"id": "greet", "type": "transform", "config": {"expression": "'hi ' + session.user"}},
                       {"id": "remember", "type": "session",
                        "config": {"merge": "{'lastOrder': inputs.order, 'cart': null}"}},
                       {"id": "after", "type": "transform",
                        "config": {"expression": "{'last': session.lastOrder, 'hasCart': has(session.cart)}"}}],
             "edges": [{"from": "greet", "to": "remember"}, {"from": "remember", "to": "after"}],
             "output": "{'greeting': nodes.greet, 'session': nodes.remember, 'after': nodes.after}"}""";

    @Inject
    IdentityTokens tokens;

    /** Injected by the test resource. */
    FakeSessionService sessionService;

    private CallerSpecs callers;

    @BeforeEach
    void setUp() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        callers = new CallerSpecs(tokens);
    }

    @Test
    void aSessionNodeMergesIntoTheCallersSessionAndExpressionsReadIt() throws Exception {
        String tenant = newTenant();
        String sessionId = unique("sess");
        sessionService.open(sessionId, tenant, "{\"user\": \"ann\", \"cart\": [\"a-1\"]}");
        String name = register(callers, tenant, REMEMBER_ORDER.formatted(unique("remember")));

        JsonPath result = start(tenant, sessionId, name, "{\"inputs\": {\"order\": \"o-1\"}}");

        assertEquals("completed", result.getString("status"), result.prettify());
        assertEquals("hi ann", result.getString("outputs.greeting"));
        JsonNode merged = JSON.readTree("{\"user\": \"ann\", \"lastOrder\": \"o-1\"}");
        assertEquals(merged, JSON.valueToTree(result.getMap("outputs.session")), "the node outputs the data after it");
        assertEquals("o-1", result.getString("outputs.after.last"), "session is the merge's result after the node");
        assertFalse(result.getBoolean("outputs.after.hasCart"), "a null member deleted the cart");
        assertEquals(merged, sessionService.data(sessionId));

        String executionId = result.getString("executionId");
        List<FakeSessionService.Received> calls = sessionService.receivedFor(sessionId);
        assertEquals(List.of("GET /internal/sessions/" + sessionId, "POST /internal/sessions/" + sessionId + "/merge"),
                calls.stream().map(call -> call.method() + " " + call.path()).toList(),
                "one read for the first expression that reads session, then the merge; none after it");
        FakeSessionService.Received merge = calls.get(1);
        assertEquals(JSON.readTree("{\"lastOrder\": \"o-1\", \"cart\": null}"), JSON.readTree(merge.body()));
        assertTrue(merge.contentType().startsWith("application/json"), merge.contentType());
        for (FakeSessionService.Received call : calls) {
            // Addressed to session-service, which alone accepts it (docs/api.md §2.9).
            CallerIdentity caller = new IdentityTokens(TestIdentities.config(TestIdentities.currentKeyOr("none"), 60,
                    Audiences.SESSION_SERVICE)).verify(call.identity());
            assertEquals(tenant, caller.tenantId());
            assertEquals(Role.SERVICE, caller.role());
            assertEquals(sessionId, caller.sessionId());
            assertEquals(Channel.CLI, caller.channel(), "the execution's channel");
            assertEquals(executionId, caller.requestId());
        }
        JsonPath stored = execution(callers, tenant, executionId);
        assertEquals(List.of("completed", "completed", "completed"), stored.getList("steps.status"));
        assertEquals("o-1", stored.getString("steps[1].output.lastOrder"));
    }

    @Test
    void aSessionThatIsGoneOrAnotherTenantsIsNullForExpressionsAndFailsTheNodeWithNotFound() throws Exception {
        String tenant = newTenant();
        String sessionId = unique("sess");
        sessionService.open(sessionId, newTenant(), "{\"user\": \"someone else\"}");
        String name = register(callers, tenant, """
                {"name": "%s",
                 "nodes": [{"id": "who", "type": "transform",
                            "config": {"expression": "session == null ? 'anonymous' : session.user"}},
                           {"id": "remember", "type": "session", "config": {"merge": "{'seen': true}"}}],
                 "edges": [{"from": "who", "to": "remember"}]}""".formatted(unique("gone")));

        JsonPath result = start(tenant, sessionId, name, "{}");

        assertEquals("failed", result.getString("status"), result.prettify());
        assertEquals("not-found", result.getString("error.code"));
        assertEquals("the session " + sessionId + " has expired, was closed or does not exist",
                result.getString("error.message"));
        assertEquals("remember", result.getString("error.node"));
        JsonPath stored = execution(callers, tenant, result.getString("executionId"));
        assertEquals("anonymous", stored.getString("steps[0].output"));
        assertEquals(JSON.readTree("{\"user\": \"someone else\"}"), sessionService.data(sessionId));
    }

    @Test
    void aMergeOverTheSizeLimitFailsWithLimitAndStoresNothing() throws Exception {
        String tenant = newTenant();
        String sessionId = unique("sess");
        sessionService.open(sessionId, tenant, "{\"user\": \"ann\"}");
        String name = register(callers, tenant, """
                {"name": "%s",
                 "nodes": [{"id": "stash", "type": "session", "config": {"merge": "{'blob': inputs.blob}"}}]}
                """.formatted(unique("too-big")));

        JsonPath result = start(tenant, sessionId, name,
                "{\"inputs\": {\"blob\": \"" + "x".repeat(FakeSessionService.MAX_DATA_BYTES) + "\"}}");

        assertEquals("failed", result.getString("status"), result.prettify());
        assertEquals("limit", result.getString("error.code"));
        assertEquals(JSON.readTree("{\"user\": \"ann\"}"), sessionService.data(sessionId));
    }

    @Test
    void aFailingSessionServiceIsRetriedThenFailsTheNodeWithUnavailable() throws Exception {
        String tenant = newTenant();
        String sessionId = unique("sess");
        sessionService.open(sessionId, tenant, "{}");
        sessionService.failWith(sessionId, 503);
        String name = register(callers, tenant, """
                {"name": "%s",
                 "nodes": [{"id": "look", "type": "session", "onError": "continue"},
                           {"id": "after", "type": "transform", "config": {"expression": "nodes.look.error"}}],
                 "edges": [{"from": "look", "to": "after"}]}""".formatted(unique("down")));

        JsonPath result = start(tenant, sessionId, name, "{}");

        assertEquals("completed", result.getString("status"), result.prettify());
        assertEquals("unavailable", result.getString("outputs.after.code"));
        assertEquals("session-service answered 503", result.getString("outputs.after.message"));
        assertEquals(3, sessionService.receivedFor(sessionId).size(), "the first attempt and two retries");
    }

    private JsonPath start(String tenant, String sessionId, String workflow, String body) {
        CallerIdentity caller = new CallerIdentity(tenant, Role.DEVELOPER, "key-" + tenant, Channel.CLI, sessionId,
                "request-" + UUID.randomUUID());
        return callers.as(caller).body(body).post("/api/v1/workflows/" + workflow + "/executions").then()
                .statusCode(200).extract().jsonPath();
    }
}
