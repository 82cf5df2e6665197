package io.nexus.workflow.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.modelcontextprotocol.spec.McpSchema;

/** The envelope check in front of the MCP SDK: which JSON-RPC error each malformed message gets, and with which id. */
class JsonRpcValidatorTest {

    private static final int PARSE = McpSchema.ErrorCodes.PARSE_ERROR;
    private static final int INVALID_REQUEST = McpSchema.ErrorCodes.INVALID_REQUEST;
    private static final int INVALID_PARAMS = McpSchema.ErrorCodes.INVALID_PARAMS;

    private static JsonRpcValidator.Rejection rejected(String body) {
        return rejected(body.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonRpcValidator.Rejection rejected(byte[] body) {
        return assertThrows(JsonRpcValidator.Rejection.class, () -> JsonRpcValidator.check(body));
    }

    private static void assertRejected(String body, int code, Object id) {
        JsonRpcValidator.Rejection rejection = rejected(body);
        assertEquals(code, rejection.code(), body);
        assertEquals(id, rejection.id(), body);
    }

    /** The single field named in the error's data. */
    @SuppressWarnings("unchecked")
    private static String field(JsonRpcValidator.Rejection rejection) {
        Map<String, List<Map<String, String>>> data = (Map<String, List<Map<String, String>>>) rejection.data();
        assertEquals(1, data.get("errors").size());
        return data.get("errors").get(0).get("field");
    }

    @Test
    void wellFormedMessagesPassAsTheirText() throws Exception {
        for (String ok : List.of("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"ping\"}",
                "{\"jsonrpc\": \"2.0\", \"id\": \"x\", \"method\": \"tools/call\", \"params\": {\"name\": \"t\", "
                        + "\"arguments\": {\"s\": \"\u00e9\"}, \"_meta\": {\"progressToken\": 3}}}",
                "{\"jsonrpc\": \"2.0\", \"method\": \"notifications/initialized\"}",
                "{\"jsonrpc\": \"2.0\", \"method\": \"notifications/cancelled\", \"params\": {\"requestId\": \"r\"}}",
                "{\"jsonrpc\": \"2.0\", \"id\": 2, \"method\": \"tools/list\", \"params\": {\"cursor\": \"c\"}}",
                "{\"jsonrpc\": \"2.0\", \"id\": \"s-1\", \"result\": {}}",
                "{\"jsonrpc\": \"2.0\", \"id\": 3, \"error\": {\"code\": -32700, \"message\": \"m\"}}")) {
            assertEquals(ok, JsonRpcValidator.check(ok.getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void whatIsNotOneStrictUtf8JsonValueIsAParseError() {
        byte[] invalidUtf8 = {'{', '"', 's', '"', ':', '"', 'x', (byte) 0xC3, '(', '"', '}'};
        JsonRpcValidator.Rejection utf8 = rejected(invalidUtf8);
        assertEquals(PARSE, utf8.code());
        assertTrue(utf8.getMessage().contains("UTF-8"));
        assertRejected("", PARSE, null);
        assertRejected("  ", PARSE, null);
        assertRejected("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": ", PARSE, null);
        assertRejected("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"ping\"}{}", PARSE, null);
        JsonRpcValidator.Rejection duplicate = rejected("{\"jsonrpc\": \"2.0\", \"id\": 1, \"id\": 2, \"method\": "
                + "\"ping\"}");
        assertEquals(PARSE, duplicate.code());
        assertTrue(duplicate.getMessage().contains("'id'"), duplicate.getMessage());
        assertNull(duplicate.id());
    }

    @Test
    void anEnvelopeThatIsNoJsonRpc2MessageIsAnInvalidRequest() {
        assertRejected("42", INVALID_REQUEST, null);
        assertRejected("null", INVALID_REQUEST, null);
        assertRejected("[{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"ping\"}]", INVALID_REQUEST, null);
        assertRejected("{\"jsonrpc\": \"1.0\", \"id\": 1, \"method\": \"ping\"}", INVALID_REQUEST, 1L);
        assertRejected("{\"id\": \"a\", \"method\": \"ping\"}", INVALID_REQUEST, "a");
        assertRejected("{\"jsonrpc\": 2, \"id\": 1, \"method\": \"ping\"}", INVALID_REQUEST, 1L);
        assertRejected("{\"jsonrpc\": \"2.0\", \"id\": {}, \"method\": \"ping\"}", INVALID_REQUEST, null);
        assertRejected("{\"jsonrpc\": \"2.0\", \"id\": 1.5, \"method\": \"ping\"}", INVALID_REQUEST, null);
        assertRejected("{\"jsonrpc\": \"2.0\", \"id\": 1e3, \"method\": \"ping\"}", INVALID_REQUEST, null);
        assertRejected("{\"jsonrpc\": \"2.0\", \"id\": 99999999999999999999, \"method\": \"ping\"}", INVALID_REQUEST,
                null);
        assertRejected("{\"jsonrpc\": \"2.0\", \"id\": null, \"method\": \"ping\"}", INVALID_REQUEST, null);
        assertRejected("{\"jsonrpc\": \"2.0\", \"id\": [1], \"method\": \"ping\"}", INVALID_REQUEST, null);
        assertRejected("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": 5}", INVALID_REQUEST, 1L);
        assertRejected("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"\"}", INVALID_REQUEST, 1L);
        assertRejected("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"ping\", \"params\": 1}", INVALID_REQUEST, 1L);
        assertRejected("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"ping\", \"params\": null}", INVALID_REQUEST,
                1L);
        assertRejected("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"ping\", \"result\": {}}", INVALID_REQUEST, 1L);
        assertRejected("{\"jsonrpc\": \"2.0\", \"id\": 1}", INVALID_REQUEST, null);
        assertRejected("{\"jsonrpc\": \"2.0\", \"result\": {}}", INVALID_REQUEST, null);
        assertRejected("{\"jsonrpc\": \"2.0\", \"id\": 1, \"result\": {}, \"error\": {\"code\": 1, \"message\": "
                + "\"m\"}}", INVALID_REQUEST, null);
        assertRejected("{\"jsonrpc\": \"2.0\", \"id\": 1, \"error\": {\"code\": \"1\", \"message\": \"m\"}}",
                INVALID_REQUEST, null);
        assertRejected("{\"jsonrpc\": \"2.0\", \"id\": null, \"result\": {}}", INVALID_REQUEST, null);
        assertRejected("{\"jsonrpc\": \"2.0\", \"id\": null, \"error\": {\"code\": -32700, \"message\": \"m\"}}",
                INVALID_REQUEST, null);
    }

    @Test
    void paramsAnMcpMethodCannotTakeAreInvalidParamsNamingTheField() {
        JsonRpcValidator.Rejection missing = rejected("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"tools/call\"}");
        assertEquals(INVALID_PARAMS, missing.code());
        assertEquals(1L, missing.id());
        assertEquals("params", field(missing));
        assertEquals(200, missing.httpStatus());

        assertEquals("params", field(rejected("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"tools/call\", "
                + "\"params\": [\"x\", {}]}")));
        assertEquals("params.arguments", field(rejected("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": "
                + "\"tools/call\", \"params\": {\"name\": \"x\", \"arguments\": \"not an object\"}}")));
        assertEquals("params.name", field(rejected("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"tools/call\", "
                + "\"params\": {\"name\": [\"x\"]}}")));
        assertEquals("params._meta", field(rejected("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"tools/list\", "
                + "\"params\": {\"_meta\": 1}}")));
        assertEquals("params._meta.progressToken", field(rejected("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": "
                + "\"tools/call\", \"params\": {\"name\": \"x\", \"_meta\": {\"progressToken\": 0.5}}}")));
        assertEquals("params.cursor", field(rejected("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": "
                + "\"resources/templates/list\", \"params\": {\"cursor\": 3}}")));
        assertEquals("params.uri", field(rejected("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"resources/read\", "
                + "\"params\": {\"uri\": {}}}")));
        assertEquals("params", field(rejected("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"initialize\"}")));
        assertEquals("params.clientInfo.version", field(rejected("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": "
                + "\"initialize\", \"params\": {\"protocolVersion\": \"2025-11-25\", \"capabilities\": {}, "
                + "\"clientInfo\": {\"name\": \"c\"}}}")));
        assertEquals("params.capabilities", field(rejected("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": "
                + "\"initialize\", \"params\": {\"protocolVersion\": \"2025-11-25\", \"capabilities\": \"all\", "
                + "\"clientInfo\": {\"name\": \"c\", \"version\": \"1\"}}}")));

        // Every bad field at once.
        JsonRpcValidator.Rejection both = rejected("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"tools/call\", "
                + "\"params\": {\"arguments\": 1}}");
        assertTrue(both.getMessage().contains("params.name") && both.getMessage().contains("params.arguments"),
                both.getMessage());

        // A notification cannot be answered: its refusal is the HTTP 400's body, without an id.
        JsonRpcValidator.Rejection cancelled = rejected("{\"jsonrpc\": \"2.0\", \"method\": "
                + "\"notifications/cancelled\", \"params\": {\"requestId\": true}}");
        assertEquals("params.requestId", field(cancelled));
        assertNull(cancelled.id());
        assertEquals(400, cancelled.httpStatus());
    }
}
