// Part of the fuzz suite: see Fuzz.java for what it does and how it runs.
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** MCP (docs/api.md §4.7): malformed JSON-RPC, transport headers, and every tool of tools/list called with fuzzed
 *  arguments. A refusal is a JSON-RPC error (or a tool result with isError), never an HTTP 5xx. */
final class Mcp implements Generator {
    static final Operation OP = new Operation("workflow-service", "POST", "/mcp", List.of(), true);
    static final String SESSION = "{{mcp-session}}";
    private static final String PING = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}";
    /** Tools that act: called only with arguments that must be refused (ids that do not exist, invalid inputs). */
    private static final List<String> ACTING = List.of("nexus_send_signal", "nexus_session_update", "nexus_marketplace_install");

    private final Map<String, Map<String, Object>> tools;

    Mcp(Map<String, Map<String, Object>> tools) { this.tools = tools; }

    public String name() { return "mcp"; }

    static List<String[]> headers() {
        return Ctx.headers("Content-Type", Ctx.JSON, "Accept", "application/json, text/event-stream",
                "MCP-Protocol-Version", "2025-11-25", "Mcp-Session-Id", SESSION);
    }

    private static Spec spec(String cls, String body, List<String[]> headers, Expect expect) {
        return new Spec(cls, OP, Cred.TENANT, RawRequest.of("POST", "/mcp", headers, Wire.encode(body)), expect);
    }

    public void generate(Operation ignored, Ctx c, List<Spec> out) {
        Map<String, String> rpc = new LinkedHashMap<>();
        rpc.put("not json", "malformed-json");
        rpc.put("", "malformed-json");
        rpc.put("[]", "malformed-json");
        rpc.put("{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"ping\"}", "mcp");
        rpc.put("{\"id\":1,\"method\":\"ping\"}", "mcp");
        rpc.put("{\"jsonrpc\":\"2.0\",\"id\":1}", "mcp");
        rpc.put("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":123}", "wrong-type");
        rpc.put("{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"ping\"}", "wrong-type");
        rpc.put("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"no/such\"}", "mcp");
        rpc.put("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\"}", "mcp");
        rpc.put("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":[]}", "wrong-type");
        rpc.put("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":123}}", "wrong-type");
        rpc.put("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"nexus_list_workflows\\u0000\"}}", "nul-control");
        rpc.put("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"no_such_tool\"}}", "mcp");
        rpc.put("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\\u0000\"}", "nul-control");
        rpc.put("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping" + Wire.rawBytes(0xFF) + "\"}", "invalid-utf8");
        rpc.put(PING + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}", "trailing-garbage");
        rpc.put(PING + "x", "trailing-garbage");
        rpc.put("{\"jsonrpc\":\"2.0\",\"id\":1,\"id\":2,\"method\":\"ping\"}", "duplicate-keys");
        rpc.put("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":" + Ctx.nested("[", "]", 10_000, "") + "}", "deep-nesting");
        rpc.put("{\"jsonrpc\":\"2.0\",\"id\":1e309,\"method\":\"ping\"}", "out-of-range");
        rpc.put("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"resources/read\",\"params\":{\"uri\":\"nexus://workflows/%00\"}}", "nul-control");
        rpc.put("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"resources/read\",\"params\":{\"uri\":\"nexus://executions/../../etc\"}}", "mcp");
        for (Map.Entry<String, String> e : rpc.entrySet()) out.add(spec(e.getValue(), e.getKey(), headers(), Expect.MCP_REJECT));
        out.add(spec("huge", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"p\":\"" + "x".repeat(2 << 20) + "\"}}",
                headers(), Expect.TOO_LARGE));
        Map<String, String[]> transport = new LinkedHashMap<>();
        transport.put("no session", new String[] {"Mcp-Session-Id", null});
        transport.put("unknown session", new String[] {"Mcp-Session-Id", "fuzz-ghost-session"});
        transport.put("NUL session", new String[] {"Mcp-Session-Id", "a" + Wire.rawByte(0)});
        transport.put("bad revision", new String[] {"MCP-Protocol-Version", "1999-01-01"});
        transport.put("bad accept", new String[] {"Accept", "text/plain"});
        transport.put("bad content type", new String[] {"Content-Type", "text/plain"});
        transport.put("foreign origin", new String[] {"Origin", "http://evil.example"});
        for (String[] h : transport.values()) {
            List<String[]> headers = new ArrayList<>();
            for (String[] base : headers()) if (!base[0].equalsIgnoreCase(h[0])) headers.add(base);
            if (h[1] != null) headers.add(new String[] {h[0], h[1]});
            out.add(spec(h[1] != null && h[1].contains(Wire.rawByte(0)) ? "nul-control" : "mcp", PING, headers, Expect.MCP_REJECT));
        }
        for (Map.Entry<String, Map<String, Object>> tool : tools.entrySet()) tool(tool.getKey(), tool.getValue(), c, out);
    }

    private void tool(String tool, Map<String, Object> schema, Ctx c, List<Spec> out) {
        boolean acting = ACTING.contains(tool) || !tool.startsWith("nexus_");
        Map<String, Object> props = Json.obj(schema.get("properties"));
        List<Object> required = Json.arr(schema.get("required"));
        Map<String, Object> args = new LinkedHashMap<>();
        for (Map.Entry<String, Object> p : props.entrySet()) args.put(p.getKey(), example(p.getKey(), Json.obj(p.getValue())));
        for (Map.Entry<String, Object> p : props.entrySet()) {
            String key = p.getKey();
            Object v = args.get(key);
            List<Object> wrong = v instanceof String ? List.of(123L, List.of(), Json.map()) : List.of("x", List.of(1L), true);
            for (Object w : wrong) out.add(call("wrong-type", tool, with(args, key, w), Expect.MCP_REJECT));
            if (v instanceof String s) {
                out.add(call("nul-control", tool, with(args, key, s + "\u0000"), Expect.MCP_REJECT));
                out.add(call("invalid-utf8", tool, with(args, key, s + Wire.rawBytes(0xC3, 0x28)), Expect.MCP_REJECT));
                out.add(call("huge", tool, with(args, key, "x".repeat(70_000)), acting ? Expect.MCP_REJECT : Expect.MCP_ANY));
                if (!acting) out.add(call("nul-control", tool, with(args, key, s + "\u0001\u001b[0m"), Expect.MCP_ANY));
            }
            if (v instanceof Long) {
                for (String n : List.of("1e309", "-1", "99999999999999999999")) {
                    out.add(call("out-of-range", tool, with(args, key, new Json.Raw(n)), Expect.MCP_REJECT));
                }
            }
            out.add(call("deep-nesting", tool, with(args, key, new Json.Raw(Ctx.nested("[", "]", 10_000, ""))), Expect.MCP_REJECT));
            if (required.contains(key)) {
                Map<String, Object> missing = new LinkedHashMap<>(args);
                missing.remove(key);
                out.add(call("mcp", tool, missing, Expect.MCP_REJECT));
            }
        }
        Map<String, Object> unknown = new LinkedHashMap<>(args);
        unknown.put("fuzzUnknown", 1L);
        out.add(call("unknown-fields", tool, unknown, acting ? Expect.MCP_REJECT : Expect.MCP_ANY));
        out.add(call("wrong-type", tool, "\"not an object\"", Expect.MCP_REJECT));
    }

    private static Map<String, Object> with(Map<String, Object> args, String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>(args);
        m.put(key, value);
        return m;
    }

    private Spec call(String cls, String tool, Object args, Expect expect) {
        String a = args instanceof String s ? s : Json.write(args);
        return spec(cls, "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":" + Json.quote(tool)
                + ",\"arguments\":" + a + "}}", headers(), expect);
    }

    /** A plausible argument: ids that do not exist (so that no acting tool acts), otherwise a short value. */
    private static Object example(String name, Map<String, Object> schema) {
        String type = String.valueOf(schema.get("type"));
        String lower = name.toLowerCase(Locale.ROOT);
        return switch (type) {
            case "integer", "number" -> 1L;
            case "boolean" -> Boolean.TRUE;
            case "object" -> Json.map();
            case "array" -> List.of();
            default -> lower.contains("session") ? Fixtures.GHOST_SESSION : lower.endsWith("id") ? Fixtures.GHOST_UUID
                    : lower.equals("signal") ? "approve" : "x";
        };
    }
}
