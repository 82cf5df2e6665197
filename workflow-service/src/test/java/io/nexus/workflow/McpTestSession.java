package io.nexus.workflow;

import static org.hamcrest.Matchers.notNullValue;

import io.nexus.common.identity.CallerIdentity;
import io.nexus.common.testing.CallerSpecs;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** One MCP session over real HTTP, as the gateway forwards it: the caller's signed identity on every request. */
final class McpTestSession {

    static final String ACCEPT = "application/json, text/event-stream";

    private final CallerSpecs callers;
    private final CallerIdentity caller;
    final String id;
    private int nextId = 100;

    private McpTestSession(CallerSpecs callers, CallerIdentity caller, String id) {
        this.callers = callers;
        this.caller = caller;
        this.id = id;
    }

    /** initialize (200 with a session id), then notifications/initialized (202). */
    static McpTestSession open(CallerSpecs callers, CallerIdentity caller) {
        String id = callers.as(caller).accept(ACCEPT)
                .body("""
                        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-11-25",
                         "capabilities": {}, "clientInfo": {"name": "test", "version": "1"}}}""")
                .post("/mcp").then().statusCode(200).header("Mcp-Session-Id", notNullValue())
                .extract().header("Mcp-Session-Id");
        McpTestSession session = new McpTestSession(callers, caller, id);
        session.request().body("{\"jsonrpc\": \"2.0\", \"method\": \"notifications/initialized\"}").post("/mcp")
                .then().statusCode(202);
        return session;
    }

    RequestSpecification request() {
        return callers.as(caller).accept(ACCEPT).header("Mcp-Session-Id", id);
    }

    /** A request's raw answer. */
    Response send(String method, String params) {
        return request().body("{\"jsonrpc\": \"2.0\", \"id\": " + (nextId++) + ", \"method\": \"" + method
                + "\", \"params\": " + params + "}").post("/mcp");
    }

    /** A request answered as plain JSON: its JSON-RPC response. */
    JsonPath rpc(String method, String params) {
        return send(method, params).then().statusCode(200).contentType("application/json").extract().jsonPath();
    }

    JsonPath callTool(String name, String arguments) {
        return rpc("tools/call", "{\"name\": \"" + name + "\", \"arguments\": " + arguments + "}");
    }
}
