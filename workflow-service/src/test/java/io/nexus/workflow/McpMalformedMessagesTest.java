package io.nexus.workflow;

import static io.nexus.workflow.WorkflowFixtures.developer;
import static io.nexus.workflow.WorkflowFixtures.newTenant;
import static io.nexus.workflow.WorkflowFixtures.register;
import static io.nexus.workflow.WorkflowFixtures.unique;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.nexus.common.identity.IdentityTokens;
import io.nexus.common.testing.CallerSpecs;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * What a careless or hostile MCP client sends to {@code /mcp} (docs/api.md §4.7): every malformed JSON-RPC message
 * gets the JSON-RPC error the specification names, a request with a usable id always gets an answer carrying that id,
 * and nothing runs.
 */
@QuarkusTest
class McpMalformedMessagesTest {

    private static final String ECHO = """
            {"name": "%s", "inputSchema": {"type": "object", "properties": {"s": {"type": "string"}}},
             "nodes": [{"id": "echo", "type": "transform", "config": {"expression": "inputs.s"}}]}""";

    @Inject
    IdentityTokens tokens;

    private CallerSpecs callers;
    private McpTestSession mcp;

    @BeforeEach
    void setUp() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        callers = new CallerSpecs(tokens);
        mcp = McpTestSession.open(callers, developer(newTenant()));
    }

    private Response post(String body) {
        return mcp.request().body(body).post("/mcp");
    }

    /** A JSON-RPC error answered as plain JSON with {@code status}. */
    private JsonPath error(Response response, int status, int code) {
        JsonPath body = response.then().statusCode(status).contentType("application/json").extract().jsonPath();
        assertThat(body.getString("jsonrpc"), equalTo("2.0"));
        assertThat(body.getInt("error.code"), equalTo(code));
        return body;
    }

    @Test
    void toolsCallWithoutParamsIsAnsweredAsInvalidParams() {
        JsonPath body = error(post("{\"jsonrpc\": \"2.0\", \"id\": 41, \"method\": \"tools/call\"}"), 200, -32602);
        assertThat(body.getInt("id"), equalTo(41));
        assertThat(body.getString("error.message"), containsString("params"));
        assertThat(body.getString("error.data.errors[0].field"), equalTo("params"));
    }

    @Test
    void toolsCallWithMistypedParamsIsAnsweredWithTheRequestsId() {
        JsonPath arguments = error(post("""
                {"jsonrpc": "2.0", "id": "a-1", "method": "tools/call",
                 "params": {"name": "x", "arguments": "not an object"}}"""), 200, -32602);
        assertThat(arguments.getString("id"), equalTo("a-1"));
        assertThat(arguments.getString("error.data.errors[0].field"), equalTo("params.arguments"));

        JsonPath array = error(post("{\"jsonrpc\": \"2.0\", \"id\": 42, \"method\": \"tools/call\", "
                + "\"params\": [\"x\"]}"), 200, -32602);
        assertThat(array.getInt("id"), equalTo(42));
        assertThat(array.getString("error.data.errors[0].field"), equalTo("params"));

        JsonPath name = error(post("{\"jsonrpc\": \"2.0\", \"id\": 43, \"method\": \"tools/call\", \"params\": "
                + "{\"name\": 7}}"), 200, -32602);
        assertThat(name.getString("error.data.errors[0].field"), equalTo("params.name"));

        JsonPath meta = error(post("{\"jsonrpc\": \"2.0\", \"id\": 44, \"method\": \"tools/call\", \"params\": "
                + "{\"name\": \"nexus_list_workflows\", \"_meta\": {\"progressToken\": {}}}}"), 200, -32602);
        assertThat(meta.getString("error.data.errors[0].field"), equalTo("params._meta.progressToken"));

        JsonPath read = error(post("{\"jsonrpc\": \"2.0\", \"id\": 45, \"method\": \"resources/read\", \"params\": "
                + "{}}"), 200, -32602);
        assertThat(read.getString("error.data.errors[0].field"), equalTo("params.uri"));
    }

    @Test
    void aVersionOtherThan2_0IsAnInvalidRequest() {
        JsonPath old = error(post("{\"jsonrpc\": \"1.0\", \"id\": 5, \"method\": \"ping\"}"), 400, -32600);
        assertThat(old.getString("error.message"), containsString("jsonrpc"));
        assertThat(old.getInt("id"), equalTo(5));
        error(post("{\"id\": 6, \"method\": \"ping\"}"), 400, -32600);
        error(post("{\"jsonrpc\": 2.0, \"id\": 7, \"method\": \"ping\"}"), 400, -32600);
    }

    @Test
    void duplicateKeysAreRefusedNotResolvedToTheLastOne() {
        Response duplicate = post("{\"jsonrpc\": \"2.0\", \"id\": 1, \"id\": 2, \"method\": \"ping\"}");
        JsonPath ids = error(duplicate, 400, -32700);
        assertThat(ids.getString("error.message"), containsString("'id'"));
        // JSON-RPC: the id of an error about an unreadable id is null, not absent.
        assertThat(duplicate.asString(), containsString("\"id\":null"));
        error(post("{\"jsonrpc\": \"2.0\", \"id\": 3, \"method\": \"tools/call\", \"params\": {\"name\": \"x\", "
                + "\"arguments\": {\"a\": 1, \"a\": 2}}}"), 400, -32700);
    }

    @Test
    void invalidUtf8IsAParseErrorAndNothingRuns() throws Exception {
        String tenant = newTenant();
        String name = register(callers, tenant, ECHO.formatted(unique("echo")));
        McpTestSession session = McpTestSession.open(callers, developer(tenant));
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("{\"jsonrpc\": \"2.0\", \"id\": 9, \"method\": \"tools/call\", \"params\": {\"name\": \"" + name
                + "\", \"arguments\": {\"s\": \"x").getBytes(StandardCharsets.UTF_8));
        body.write(new byte[] {(byte) 0xC3, '('});
        body.write("\"}}}".getBytes(StandardCharsets.UTF_8));

        JsonPath parse = error(session.request().body(body.toByteArray()).post("/mcp"), 400, -32700);
        assertThat(parse.getString("error.message"), containsString("UTF-8"));
        List<Object> executions = callers.as(developer(tenant)).get("/api/v1/executions?workflow=" + name).then()
                .statusCode(200).extract().jsonPath().getList("items");
        assertThat(executions, empty());
    }

    @Test
    void malformedEnvelopesGetTheirJsonRpcErrorNeverA5xxOrA202() {
        error(post("42"), 400, -32600);
        error(post("\"ping\""), 400, -32600);
        error(post("null"), 400, -32600);
        error(post("[]"), 400, -32600);
        error(post("[{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"ping\"}]"), 400, -32600);
        error(post(""), 400, -32700);
        error(post("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"ping\"} {}"), 400, -32700);

        JsonPath objectId = error(post("{\"jsonrpc\": \"2.0\", \"id\": {\"a\": 1}, \"method\": \"ping\"}"), 400,
                -32600);
        assertThat(objectId.get("id"), nullValue());
        assertThat(objectId.getString("error.message"), containsString("id"));
        error(post("{\"jsonrpc\": \"2.0\", \"id\": 1.5, \"method\": \"ping\"}"), 400, -32600);
        error(post("{\"jsonrpc\": \"2.0\", \"id\": true, \"method\": \"ping\"}"), 400, -32600);
        error(post("{\"jsonrpc\": \"2.0\", \"id\": null, \"method\": \"ping\"}"), 400, -32600);

        JsonPath method = error(post("{\"jsonrpc\": \"2.0\", \"id\": 2, \"method\": 5}"), 400, -32600);
        assertThat(method.getString("error.message"), containsString("method"));
        assertThat(method.getInt("id"), equalTo(2));
        error(post("{\"jsonrpc\": \"2.0\", \"id\": 3, \"method\": \"\"}"), 400, -32600);
        error(post("{\"jsonrpc\": \"2.0\", \"id\": 4, \"method\": \"ping\", \"params\": \"x\"}"), 400, -32600);
        error(post("{\"jsonrpc\": \"2.0\", \"id\": 4, \"method\": \"ping\", \"params\": null}"), 400, -32600);
        error(post("{\"jsonrpc\": \"2.0\", \"id\": 5}"), 400, -32600);
        error(post("{\"jsonrpc\": \"2.0\", \"method\": \"notifications/cancelled\", \"params\": 3}"), 400, -32600);
        error(post("{\"jsonrpc\": \"2.0\", \"method\": \"notifications/cancelled\", \"params\": "
                + "{\"requestId\": {}}}"), 400, -32602);
        error(post("{\"jsonrpc\": \"2.0\", \"id\": 6, \"result\": {}, \"error\": {\"code\": 1, \"message\": \"m\"}}"),
                400, -32600);
        error(post("{\"jsonrpc\": \"2.0\", \"id\": 7, \"error\": \"bad\"}"), 400, -32600);

        JsonPath unknown = error(post("{\"jsonrpc\": \"2.0\", \"id\": 9, \"method\": \"no/such\"}"), 200, -32601);
        assertThat(unknown.getInt("id"), equalTo(9));

        // A well-formed message still goes through.
        assertThat(mcp.rpc("ping", "{}").getMap("result"), equalTo(Map.of()));
        post("{\"jsonrpc\": \"2.0\", \"id\": 8, \"method\": \"ping\"}").then().statusCode(200);
    }

    @Test
    void anInitializeWithoutParamsIsInvalidParams() {
        JsonPath body = error(callers.as(developer(newTenant())).accept(McpTestSession.ACCEPT)
                .body("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"initialize\"}").post("/mcp"), 200, -32602);
        assertThat(body.getInt("id"), equalTo(1));
        JsonPath clientInfo = error(callers.as(developer(newTenant())).accept(McpTestSession.ACCEPT)
                .body("{\"jsonrpc\": \"2.0\", \"id\": 2, \"method\": \"initialize\", \"params\": "
                        + "{\"protocolVersion\": \"2025-11-25\", \"capabilities\": {}, \"clientInfo\": {}}}")
                .post("/mcp"), 200, -32602);
        assertThat(clientInfo.getList("error.data.errors.field"),
                equalTo(List.of("params.clientInfo.name", "params.clientInfo.version")));
    }

    @Test
    void anOversizedMessageIsA413WithAJsonRpcError() {
        String big = "{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"ping\", \"params\": {\"pad\": \""
                + "x".repeat(1_100_000) + "\"}}";
        JsonPath body = error(post(big), 413, -32600);
        assertThat(body.getString("error.message"), containsString("1048576"));
    }
}
