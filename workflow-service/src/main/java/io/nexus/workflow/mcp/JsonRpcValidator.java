package io.nexus.workflow.mcp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import io.modelcontextprotocol.spec.McpSchema;

/**
 * Checks one POSTed JSON-RPC 2.0 message before the MCP SDK sees it. The SDK decodes leniently (invalid UTF-8 becomes
 * U+FFFD, the last of duplicate keys wins, any {@code jsonrpc} passes) and fails on mistyped params with an exception
 * that leaves a request unanswered; here each of those is the error JSON-RPC names for it: -32700 for a body that is
 * not one strict UTF-8 JSON value, -32600 for an envelope that is no JSON-RPC 2.0 message, -32602 for params an MCP
 * method cannot take. An error carries the request's id when the id itself is usable, else null (JSON-RPC §5).
 */
final class JsonRpcValidator {

    /** Duplicate keys make a message ambiguous, trailing content makes it two: both are parse errors. */
    private static final ObjectReader READER = new ObjectMapper().reader()
            .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** The SDK has no constant for it. */
    static final String CANCELLED = "notifications/cancelled";

    private static final Set<String> LIST_METHODS = Set.of(McpSchema.METHOD_TOOLS_LIST,
            McpSchema.METHOD_RESOURCES_LIST, McpSchema.METHOD_RESOURCES_TEMPLATES_LIST, McpSchema.METHOD_PROMPT_LIST);

    private JsonRpcValidator() {
    }

    /** The message as strictly decoded text, for the SDK to read; {@link Rejection} names what is wrong with it. */
    static String check(byte[] body) throws Rejection {
        String text = decode(body);
        JsonNode message = parse(text);
        if (message.isArray()) {
            throw new Rejection(McpSchema.ErrorCodes.INVALID_REQUEST, "JSON-RPC batches are not supported: POST one "
                    + "message at a time", null);
        }
        if (!message.isObject()) {
            throw new Rejection(McpSchema.ErrorCodes.INVALID_REQUEST, "a JSON-RPC message must be a JSON object",
                    null);
        }
        boolean hasMethod = message.has("method");
        Object id = id(message, hasMethod);
        Object answerTo = hasMethod ? id : null;
        JsonNode version = message.get("jsonrpc");
        if (version == null || !version.isTextual() || !McpSchema.JSONRPC_VERSION.equals(version.textValue())) {
            throw new Rejection(McpSchema.ErrorCodes.INVALID_REQUEST, "jsonrpc must be \"2.0\"", answerTo);
        }
        if (hasMethod) {
            checkRequest(message, answerTo);
        } else if (message.has("result") || message.has("error")) {
            checkResponse(message);
        } else {
            throw new Rejection(McpSchema.ErrorCodes.INVALID_REQUEST, "a JSON-RPC message has a method (request, "
                    + "notification) or a result or error (response)", null);
        }
        return text;
    }

    private static String decode(byte[] body) throws Rejection {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new Rejection(McpSchema.ErrorCodes.PARSE_ERROR, "the body is not valid UTF-8 (JSON text must be "
                    + "UTF-8)", null);
        }
    }

    private static JsonNode parse(String text) throws Rejection {
        if (text.isBlank()) {
            throw new Rejection(McpSchema.ErrorCodes.PARSE_ERROR, "the body is empty: POST one JSON-RPC message",
                    null);
        }
        try {
            return READER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new Rejection(McpSchema.ErrorCodes.PARSE_ERROR, "the body is not valid JSON: "
                    + e.getOriginalMessage(), null);
        } catch (IOException e) {
            throw new Rejection(McpSchema.ErrorCodes.PARSE_ERROR, "the body could not be read", null);
        }
    }

    /**
     * The id as the SDK will see it (a string or a long), null when absent; it must be a string or an integer (MCP:
     * never null; a response's null id is refused by {@link #checkResponse}).
     */
    private static Object id(JsonNode message, boolean request) throws Rejection {
        JsonNode id = message.get("id");
        if (id == null || id.isNull() && !request) {
            return null;
        }
        if (id.isTextual()) {
            return id.textValue();
        }
        if (id.isIntegralNumber() && id.canConvertToLong()) {
            return id.longValue();
        }
        throw new Rejection(McpSchema.ErrorCodes.INVALID_REQUEST, "id must be a string or an integer", null);
    }

    private static void checkRequest(JsonNode message, Object id) throws Rejection {
        JsonNode method = message.get("method");
        if (!method.isTextual() || method.textValue().isEmpty()) {
            throw new Rejection(McpSchema.ErrorCodes.INVALID_REQUEST, "method must be a non-empty string", id);
        }
        if (message.has("result") || message.has("error")) {
            throw new Rejection(McpSchema.ErrorCodes.INVALID_REQUEST, "a message with a method has no result or "
                    + "error", id);
        }
        JsonNode params = message.get("params");
        if (params != null && !params.isContainerNode()) {
            throw new Rejection(McpSchema.ErrorCodes.INVALID_REQUEST, "params must be an object or an array", id);
        }
        List<Map<String, String>> errors = new ArrayList<>();
        checkParams(method.textValue(), params, errors);
        if (!errors.isEmpty()) {
            throw Rejection.invalidParams(method.textValue(), errors, id);
        }
    }

    /** What the MCP schema says of each method's params that the SDK would otherwise fail on without an answer. */
    private static void checkParams(String method, JsonNode params, List<Map<String, String>> errors) {
        boolean required = McpSchema.METHOD_INITIALIZE.equals(method) || McpSchema.METHOD_TOOLS_CALL.equals(method)
                || McpSchema.METHOD_RESOURCES_READ.equals(method)
                || CANCELLED.equals(method);
        if (params == null) {
            if (required) {
                errors.add(error("params", "is required for " + method));
            }
            return;
        }
        if (!params.isObject()) {
            errors.add(error("params", "must be an object: MCP methods take named parameters"));
            return;
        }
        JsonNode meta = params.get("_meta");
        if (meta != null) {
            if (!meta.isObject()) {
                errors.add(error("params._meta", "must be an object"));
            } else if (meta.has("progressToken") && !stringOrInteger(meta.get("progressToken"))) {
                errors.add(error("params._meta.progressToken", "must be a string or an integer"));
            }
        }
        switch (method) {
            case McpSchema.METHOD_INITIALIZE -> {
                requireText(params, "protocolVersion", errors);
                requireObject(params, "capabilities", errors);
                if (requireObject(params, "clientInfo", errors)) {
                    requireText(params.get("clientInfo"), "clientInfo.name", "name", errors);
                    requireText(params.get("clientInfo"), "clientInfo.version", "version", errors);
                }
            }
            case McpSchema.METHOD_TOOLS_CALL -> {
                requireText(params, "name", errors);
                JsonNode arguments = params.get("arguments");
                if (arguments != null && !arguments.isObject()) {
                    errors.add(error("params.arguments", "must be an object"));
                }
            }
            case McpSchema.METHOD_RESOURCES_READ -> requireText(params, "uri", errors);
            case CANCELLED -> {
                JsonNode requestId = params.get("requestId");
                if (requestId == null || !stringOrInteger(requestId)) {
                    errors.add(error("params.requestId", "must be a string or an integer"));
                }
            }
            default -> {
                JsonNode cursor = params.get("cursor");
                if (LIST_METHODS.contains(method) && cursor != null && !cursor.isTextual()) {
                    errors.add(error("params.cursor", "must be a string"));
                }
            }
        }
    }

    private static void checkResponse(JsonNode message) throws Rejection {
        if (!message.has("id")) {
            throw new Rejection(McpSchema.ErrorCodes.INVALID_REQUEST, "a response needs the id of the request it "
                    + "answers", null);
        }
        JsonNode error = message.get("error");
        if (message.has("result") == (error != null)) {
            throw new Rejection(McpSchema.ErrorCodes.INVALID_REQUEST, "a response has either a result or an error",
                    null);
        }
        if (error != null && !(error.isObject() && error.path("code").isIntegralNumber()
                && error.path("message").isTextual())) {
            throw new Rejection(McpSchema.ErrorCodes.INVALID_REQUEST, "error must be an object with an integer code "
                    + "and a string message", null);
        }
        if (message.get("id").isNull()) {
            // JSON-RPC allows it on an error about an unreadable request, MCP does not: no request of ours is one.
            throw new Rejection(McpSchema.ErrorCodes.INVALID_REQUEST, "a response's id must be that of the server's "
                    + "request it answers", null);
        }
    }

    private static void requireText(JsonNode params, String field, List<Map<String, String>> errors) {
        requireText(params, field, field, errors);
    }

    /** {@code object}'s member {@code name}, at {@code params.<path>}, must be a non-empty string. */
    private static void requireText(JsonNode object, String path, String name, List<Map<String, String>> errors) {
        JsonNode value = object.get(name);
        if (value == null || !value.isTextual() || value.textValue().isEmpty()) {
            errors.add(error("params." + path, value == null ? "is required" : "must be a non-empty string"));
        }
    }

    /** Whether params' {@code field} is an object, after naming it in {@code errors} when it is not. */
    private static boolean requireObject(JsonNode params, String field, List<Map<String, String>> errors) {
        JsonNode value = params.get(field);
        if (value == null || !value.isObject()) {
            errors.add(error("params." + field, value == null ? "is required" : "must be an object"));
            return false;
        }
        return true;
    }

    private static boolean stringOrInteger(JsonNode value) {
        return value.isTextual() || value.isIntegralNumber() && value.canConvertToLong();
    }

    private static Map<String, String> error(String field, String message) {
        return Map.of("field", field, "message", message);
    }

    /** Why a message was refused: its JSON-RPC error and the id to answer it with (null when it has none usable). */
    static final class Rejection extends Exception {

        private final int code;
        private final transient Object id;
        private final transient Object data;

        Rejection(int code, String message, Object id) {
            this(code, message, id, null);
        }

        private Rejection(int code, String message, Object id, Object data) {
            super(message, null, false, false);
            this.code = code;
            this.id = id;
            this.data = data;
        }

        static Rejection invalidParams(String method, List<Map<String, String>> errors, Object id) {
            String fields = errors.stream().map(error -> error.get("field") + ": " + error.get("message"))
                    .reduce((a, b) -> a + "; " + b).orElse("");
            return new Rejection(McpSchema.ErrorCodes.INVALID_PARAMS, "invalid params for " + method + ": " + fields,
                    id, Map.of("errors", List.copyOf(errors)));
        }

        /**
         * A request with a usable id whose params are wrong is answered like any request (200 with its error); a
         * message the server cannot accept at all is a 400 (Streamable HTTP), still with a JSON-RPC error body.
         */
        int httpStatus() {
            return code == McpSchema.ErrorCodes.INVALID_PARAMS && id != null ? 200 : 400;
        }

        int code() {
            return code;
        }

        /** The request's id, null when the message has none usable. */
        Object id() {
            return id;
        }

        /** {@code errors[]} of the fields at fault, null when the fault is not in params. */
        Object data() {
            return data;
        }

        /** The JSON-RPC error response; a map, for the SDK's response type does not allow the null id. */
        Map<String, Object> toResponse() {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("code", code);
            error.put("message", getMessage());
            if (data != null) {
                error.put("data", data);
            }
            Map<String, Object> response = new LinkedHashMap<>();
            response.put("jsonrpc", McpSchema.JSONRPC_VERSION);
            response.put("id", id);
            response.put("error", error);
            return response;
        }
    }
}
