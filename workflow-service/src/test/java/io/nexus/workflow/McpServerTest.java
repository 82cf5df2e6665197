package io.nexus.workflow;

import static io.nexus.workflow.WorkflowFixtures.developer;
import static io.nexus.workflow.WorkflowFixtures.execution;
import static io.nexus.workflow.WorkflowFixtures.newTenant;
import static io.nexus.workflow.WorkflowFixtures.register;
import static io.nexus.workflow.WorkflowFixtures.single;
import static io.nexus.workflow.WorkflowFixtures.slow;
import static io.nexus.workflow.WorkflowFixtures.unique;
import static io.nexus.workflow.WorkflowFixtures.viewer;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.nexus.common.identity.CallerIdentity;
import io.nexus.common.identity.IdentityTokens;
import io.nexus.common.testing.CallerSpecs;
import io.nexus.common.testing.TestIdentities;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

/**
 * The MCP server at {@code /mcp} (docs/api.md §4.7) over real HTTP, as the gateway forwards it: sessions, tools per
 * tenant, results and errors, roles, isolation, the transport's refusals, cancellation, progress and list changes.
 */
@QuarkusTest
class McpServerTest {

    private static final String GREET = """
            {"name": "%s", "description": "Greets someone",
             "inputSchema": {"type": "object", "properties": {"who": {"type": "string"}}, "required": ["who"]},
             "nodes": [{"id": "hello", "type": "transform",
                        "config": {"expression": "{'greeting': 'hello ' + inputs.who}"}}]}""";

    @Inject
    IdentityTokens tokens;

    private CallerSpecs callers;

    @BeforeEach
    void setUp() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        callers = new CallerSpecs(tokens);
    }

    @Test
    void aWorkflowIsAToolThatRunsOnChannelMcp() {
        String tenant = newTenant();
        String name = register(callers, tenant, GREET.formatted(unique("greet")));
        // A schema that does not say "type" is shown as an object schema (MCP clients reject any other kind).
        String untyped = register(callers, tenant, """
                {"name": "%s", "inputSchema": {"required": ["x"]},
                 "nodes": [{"id": "only", "type": "transform", "config": {"expression": "inputs.x"}}]}"""
                .formatted(unique("untyped")));
        McpTestSession mcp = McpTestSession.open(callers, developer(tenant));

        JsonPath tools = mcp.rpc("tools/list", "{}");
        List<String> names = tools.getList("result.tools.name", String.class);
        assertThat(names, hasItems(name, "nexus_list_workflows", "nexus_get_execution", "nexus_send_signal",
                "nexus_session_get", "nexus_session_update", "nexus_marketplace_search",
                "nexus_marketplace_install"));
        Map<String, Object> tool = tools.getMap("result.tools.find { it.name == '" + name + "' }");
        assertThat(tool.get("description"), equalTo("Greets someone"));
        assertThat(tools.getList("result.tools.find { it.name == '" + name + "' }.inputSchema.required", String.class),
                equalTo(List.of("who")));

        assertThat(mcp.rpc("tools/list", "{}").getString("result.tools.find { it.name == '" + untyped
                + "' }.inputSchema.type"), equalTo("object"));

        JsonPath result = mcp.callTool(name, "{\"who\": \"ada\"}");
        assertThat(result.getBoolean("result.isError"), is(false));
        assertThat(result.getString("result.structuredContent.status"), equalTo("completed"));
        assertThat(result.getString("result.structuredContent.outputs.hello.greeting"), equalTo("hello ada"));
        assertThat(result.getString("result.content[0].text"), containsString("hello ada"));
        String id = result.getString("result.structuredContent.executionId");
        assertThat(execution(callers, tenant, id).getString("channel"), equalTo("mcp"));
    }

    @Test
    void badArgumentsAndUnknownToolsAreJsonRpcErrorsAndAFailedRunIsAnErrorResult() {
        String tenant = newTenant();
        String greet = register(callers, tenant, GREET.formatted(unique("greet")));
        String broken = register(callers, tenant, single(unique("broken"), "1 / 0"));
        McpTestSession mcp = McpTestSession.open(callers, developer(tenant));

        JsonPath bad = mcp.callTool(greet, "{\"who\": 5}");
        assertThat(bad.getInt("error.code"), equalTo(-32602));
        assertThat(bad.getString("error.message"), containsString("inputs.who"));
        assertThat(bad.getString("error.data.errors[0].field"), equalTo("inputs.who"));

        JsonPath unknown = mcp.callTool("no-such-workflow", "{}");
        assertThat(unknown.getInt("error.code"), equalTo(-32602));
        assertThat(unknown.getString("error.message"), containsString("'no-such-workflow'"));

        JsonPath failed = mcp.callTool(broken, "{}");
        assertThat(failed.getBoolean("result.isError"), is(true));
        assertThat(failed.getString("result.structuredContent.status"), equalTo("failed"));
        assertThat(failed.getString("result.content[0].text"),
                allOf(containsString("failed"), containsString("'only'")));
    }

    @Test
    void aMarketplaceOutageIsAnErrorResultAndBadSearchArgumentsAreJsonRpcErrors() {
        // The tests' marketplace-service URL is a port nothing listens on (application.properties).
        McpTestSession mcp = McpTestSession.open(callers, developer(newTenant()));
        JsonPath down = mcp.callTool("nexus_marketplace_search", "{\"query\": \"orders\"}");
        assertThat(down.getBoolean("result.isError"), is(true));
        assertThat(down.getString("result.content[0].text"), containsString("cannot be searched right now"));
        assertThat(mcp.callTool("nexus_marketplace_search", "{\"limit\": \"ten\"}").getInt("error.code"),
                equalTo(-32602));

        JsonPath installDown = mcp.callTool("nexus_marketplace_install",
                "{\"itemId\": \"" + UUID.randomUUID() + "\"}");
        assertThat(installDown.getBoolean("result.isError"), is(true));
        assertThat(installDown.getString("result.content[0].text"), containsString("cannot install right now"));
        assertThat(mcp.callTool("nexus_marketplace_install", "{\"itemId\": \"not-an-id\"}").getInt("error.code"),
                equalTo(-32602));
        assertThat(mcp.callTool("nexus_marketplace_install", "{}").getInt("error.code"), equalTo(-32602));
    }

    @Test
    void aViewerListsAndReadsButMayNotRun() {
        String tenant = newTenant();
        String name = register(callers, tenant, GREET.formatted(unique("greet")));
        String executionId = McpTestSession.open(callers, developer(tenant)).callTool(name, "{\"who\": \"x\"}")
                .getString("result.structuredContent.executionId");
        McpTestSession mcp = McpTestSession.open(callers, viewer(tenant));

        assertThat(mcp.rpc("tools/list", "{}").getList("result.tools.name", String.class), hasItems(name));
        JsonPath run = mcp.callTool(name, "{\"who\": \"x\"}");
        assertThat(run.getInt("error.code"), equalTo(-32001));
        assertThat(run.getString("error.message"), containsString("viewer"));
        JsonPath read = mcp.callTool("nexus_get_execution", "{\"executionId\": \"" + executionId + "\"}");
        assertThat(read.getString("result.structuredContent.id"), equalTo(executionId));
        JsonPath resource = mcp.rpc("resources/read", "{\"uri\": \"nexus://executions/" + executionId + "\"}");
        assertThat(resource.getString("result.contents[0].text"), containsString(executionId));
    }

    @Test
    void eachTenantSeesOnlyItsOwnToolsSessionsAndExecutions() {
        String a = newTenant();
        String b = newTenant();
        String shared = unique("same");
        register(callers, a, GREET.formatted(shared));
        register(callers, b, single(shared, "'b'"));
        String onlyA = register(callers, a, GREET.formatted(unique("only-a")));
        McpTestSession mcpA = McpTestSession.open(callers, developer(a));
        McpTestSession mcpB = McpTestSession.open(callers, developer(b));

        JsonPath toolsB = mcpB.rpc("tools/list", "{}");
        assertThat(toolsB.getList("result.tools.name", String.class), allOf(hasItems(shared), not(hasItem(onlyA))));
        assertThat(toolsB.getString("result.tools.find { it.name == '" + shared + "' }.description"),
                not(equalTo("Greets someone")));
        assertThat(mcpB.callTool(shared, "{}").getString("result.structuredContent.outputs.only"), equalTo("b"));

        // B's identity with A's MCP session: unknown, exactly like a session that never existed.
        callers.as(developer(b)).accept(McpTestSession.ACCEPT).header("Mcp-Session-Id", mcpA.id)
                .body("{\"jsonrpc\": \"2.0\", \"id\": 9, \"method\": \"tools/list\"}").post("/mcp")
                .then().statusCode(404);
        String executionA = mcpA.callTool(shared, "{\"who\": \"a\"}").getString("result.structuredContent.executionId");
        assertThat(mcpB.callTool("nexus_get_execution", "{\"executionId\": \"" + executionA + "\"}")
                .getInt("error.code"), equalTo(-32602));
        assertThat(mcpB.rpc("resources/read", "{\"uri\": \"nexus://executions/" + executionA + "\"}")
                .getMap("error"), notNullValue());
    }

    @Test
    void theTransportRefusesWhatTheSpecificationRefuses() {
        String tenant = newTenant();
        McpTestSession mcp = McpTestSession.open(callers, developer(tenant));
        String ping = "{\"jsonrpc\": \"2.0\", \"id\": 7, \"method\": \"ping\"}";

        RestAssured.given().contentType("application/json").accept(McpTestSession.ACCEPT).body(ping).post("/mcp")
                .then().statusCode(401).contentType("application/problem+json");
        callers.as(TestIdentities.platformAdmin()).accept(McpTestSession.ACCEPT).body(ping).post("/mcp")
                .then().statusCode(403);
        mcp.request().header("Origin", "http://evil.example").body(ping).post("/mcp").then().statusCode(403);
        mcp.request().header("Origin", "http://localhost:3000").body(ping).post("/mcp").then().statusCode(200);
        mcp.request().header("MCP-Protocol-Version", "1999-01-01").body(ping).post("/mcp").then().statusCode(400);
        mcp.request().header("MCP-Protocol-Version", "2025-03-26").body(ping).post("/mcp").then().statusCode(200);
        callers.as(developer(tenant)).accept(McpTestSession.ACCEPT).body(ping).post("/mcp").then().statusCode(400);
        callers.as(developer(tenant)).accept("application/json").header("Mcp-Session-Id", mcp.id).body(ping)
                .post("/mcp").then().statusCode(406);
        mcp.request().body("{\"jsonrpc\": \"2.0\", \"id\": 8, \"method\": ").post("/mcp").then().statusCode(400)
                .body("error.code", equalTo(-32700));
        callers.as(developer(tenant)).accept(McpTestSession.ACCEPT).header("Mcp-Session-Id", "no-such-session")
                .body(ping).post("/mcp").then().statusCode(404);

        mcp.request().delete("/mcp").then().statusCode(200);
        mcp.request().body(ping).post("/mcp").then().statusCode(404).body("error.message",
                containsString("initialize"));
    }

    @Test
    void resourcesReadDefinitionsAndExecutions() {
        String tenant = newTenant();
        String name = register(callers, tenant, GREET.formatted(unique("greet")));
        McpTestSession mcp = McpTestSession.open(callers, developer(tenant));

        assertThat(mcp.rpc("resources/templates/list", "{}")
                .getList("result.resourceTemplates.uriTemplate", String.class),
                containsInAnyOrder("nexus://workflows/{name}", "nexus://executions/{id}"));
        JsonPath definition = mcp.rpc("resources/read", "{\"uri\": \"nexus://workflows/" + name + "\"}");
        assertThat(definition.getString("result.contents[0].mimeType"), equalTo("application/json"));
        assertThat(JsonPath.from(definition.getString("result.contents[0].text")).getString("inputSchema.type"),
                equalTo("object"));
        assertThat(mcp.rpc("resources/read", "{\"uri\": \"nexus://workflows/nope\"}").getInt("error.code"),
                equalTo(-32002));
        // A malformed id is the caller's mistake like an unknown one, never an internal error.
        assertThat(mcp.rpc("resources/read", "{\"uri\": \"nexus://executions/not-an-id\"}").getInt("error.code"),
                equalTo(-32002));
        assertThat(mcp.callTool("nexus_get_execution", "{\"executionId\": \"not-an-id\"}").getInt("error.code"),
                equalTo(-32602));
        JsonPath badCursor = mcp.callTool("nexus_list_workflows", "{\"cursor\": \"garbage\"}");
        assertThat(badCursor.getInt("error.code"), equalTo(-32602));
        assertThat(badCursor.getString("error.message"), containsString("cursor"));
    }

    @Test
    void cancellingACallCancelsItsExecution() throws Exception {
        String tenant = newTenant();
        String name = register(callers, tenant, slow(unique("slow"), 1000));
        McpTestSession mcp = McpTestSession.open(callers, developer(tenant));

        CompletableFuture<String> call = CompletableFuture.supplyAsync(() -> mcp.request()
                .body("{\"jsonrpc\": \"2.0\", \"id\": \"long-1\", \"method\": \"tools/call\", \"params\": {\"name\": \""
                        + name + "\", \"arguments\": {}}}")
                .post("/mcp").then().statusCode(200).extract().asString());
        String id = await().atMost(Duration.ofSeconds(10)).until(() -> callers.as(developer(tenant))
                .get("/api/v1/executions?workflow=" + name).then().statusCode(200).extract()
                .<String>path("items[0].id"), running -> running != null);
        // Most likely still within the call's sync wait, before the call knows the execution's id: the cancellation is
        // kept and applied as soon as the start answers (the e2e suite also cancels after the wait).
        mcp.request().body("{\"jsonrpc\": \"2.0\", \"method\": \"notifications/cancelled\", \"params\": "
                + "{\"requestId\": \"long-1\", \"reason\": \"test\"}}").post("/mcp").then().statusCode(202);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(execution(callers, tenant, id)
                .getString("status"), equalTo("cancelled")));
        assertThat(call.get(15, TimeUnit.SECONDS), containsString("cancelled"));
    }

    @Test
    void aLongCallWithAProgressTokenStreamsProgressThenTheResult() throws Exception {
        String tenant = newTenant();
        String name = register(callers, tenant, """
                {"name": "%s", "nodes": [{"id": "first", "type": "transform", "config": {"expression": "1"}},
                   {"id": "pause", "type": "delay", "config": {"durationMs": 1500}},
                   {"id": "last", "type": "transform", "config": {"expression": "2"}}],
                 "edges": [{"from": "first", "to": "pause"}, {"from": "pause", "to": "last"}]}"""
                .formatted(unique("paced")));
        McpTestSession mcp = McpTestSession.open(callers, developer(tenant));

        var response = mcp.request().body("{\"jsonrpc\": \"2.0\", \"id\": 3, \"method\": \"tools/call\", \"params\": "
                + "{\"name\": \"" + name + "\", \"arguments\": {}, \"_meta\": {\"progressToken\": \"p-1\"}}}")
                .post("/mcp");
        assertThat(response.statusCode(), equalTo(200));
        assertThat(response.contentType(), startsWith("text/event-stream"));
        String body = response.asString();
        assertThat(body, allOf(containsString("\"method\":\"notifications/progress\""),
                containsString("\"progressToken\":\"p-1\"")));
        assertThat(body.indexOf("notifications/progress"), lessThan(body.indexOf("\"result\"")));
        assertThat(body, containsString("\"status\":\"completed\""));
    }

    @Test
    void aChangedWorkflowReachesTheListeningStreamAsListChanged() throws Exception {
        String tenant = newTenant();
        CallerIdentity developer = developer(tenant);
        McpTestSession mcp = McpTestSession.open(callers, developer);
        URI uri = URI.create("http://localhost:" + RestAssured.port + "/mcp");
        try (SseConnection stream = SseConnection.open(uri, Map.of(IdentityTokens.HEADER, tokens.sign(developer),
                "Mcp-Session-Id", mcp.id))) {
            assertThat(stream.status(), equalTo(200));
            String name = register(callers, tenant, GREET.formatted(unique("late")));

            SseConnection.Event event = stream.nextEvent(Duration.ofSeconds(15));
            assertThat(event.data(), containsString("notifications/tools/list_changed"));
            assertThat(mcp.rpc("tools/list", "{}").getList("result.tools.name", String.class), hasItems(name));
        }
    }
}
