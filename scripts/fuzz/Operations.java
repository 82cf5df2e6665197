// Part of the fuzz suite: see Fuzz.java for what it does and how it runs.
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

// --------------------------------------------------------------------------------------------------------- operations

record Param(String name, String in, Map<String, Object> schema) {}

/** One operation of a service's OpenAPI document (or the synthetic /mcp endpoint). */
record Operation(String service, String method, String path, List<Param> params, boolean hasBody) {
    String label() { return method + " " + path; }

    boolean readOnly() { return method.equals("GET"); }

    /** An SSE stream: given a real id it would stay open, so it is only ever asked about ids that do not exist. */
    boolean streaming() { return path.endsWith("/events"); }

    List<Param> in(String where) { return params.stream().filter(p -> p.in().equals(where)).toList(); }

    /** Platform-admin routes (docs/api.md §2.3): fuzzed with the admin key, as the tenant key would stop at 403. */
    Cred credential() { return path.startsWith("/api/v1/tenants") ? Cred.PLATFORM_ADMIN : Cred.TENANT; }
}

enum Cred { TENANT, PLATFORM_ADMIN, NONE }

/** Reads /q/openapi?format=json of each service into operations (/q/* itself is not fuzzed). */
final class OpenApi {
    static List<Operation> load(RawHttp http, String service, URI base) {
        RawResponse r = http.send(base, RawRequest.of("GET", "/q/openapi?format=json",
                List.<String[]>of(new String[] {"Accept", "application/json"}), null));
        if (r.status() != 200) throw new IllegalStateException(service + " /q/openapi answered " + r.status() + " " + r.failure());
        Map<String, Object> doc = Json.obj(Json.parse(r.text()));
        List<Operation> ops = new ArrayList<>();
        for (Map.Entry<String, Object> path : Json.obj(doc.get("paths")).entrySet()) {
            if (path.getKey().startsWith("/q/")) continue;
            Map<String, Object> item = Json.obj(path.getValue());
            for (String method : List.of("get", "post", "put", "patch", "delete")) {
                if (!item.containsKey(method)) continue;
                Map<String, Object> op = Json.obj(item.get(method));
                List<Param> params = new ArrayList<>();
                for (Object p : Json.arr(item.get("parameters"))) params.add(param(p));
                for (Object p : Json.arr(op.get("parameters"))) params.add(param(p));
                // The identity header is the gateway's business, not a client parameter.
                params.removeIf(p -> p.name().equalsIgnoreCase("X-Nexus-Identity"));
                ops.add(new Operation(service, method.toUpperCase(Locale.ROOT), path.getKey(), params,
                        op.containsKey("requestBody")));
            }
        }
        return ops;
    }

    private static Param param(Object p) {
        Map<String, Object> m = Json.obj(p);
        return new Param((String) m.get("name"), (String) m.get("in"), Json.obj(m.get("schema")));
    }
}

/** What the set-up made for the fuzz tenant: the real targets that let a request get past "not found". */
record Fixtures(String tenantId, String tenantName, String apiKey, String keyId, String workflow, String executionId,
                String sessionId, String itemId) {
    static final String GHOST_UUID = "01939d1e-0000-7000-8000-00000000f022";
    static final String GHOST_SESSION = "AAAAAAAAAAAAAAAAAAAAAA";

    /** The value of a path parameter: the real resource, or a well-formed one that does not exist. */
    String pathValue(Operation op, String param, boolean real) {
        String p = op.path();
        if (param.equals("installId")) return GHOST_UUID;
        if (param.equals("keyId")) return real ? keyId : GHOST_UUID;
        if (param.equals("version")) return real ? "1.0.0" : "9.9.9";
        if (p.startsWith("/api/v1/tenants/")) return real ? tenantId : GHOST_UUID;
        if (p.contains("/sessions/")) return real ? sessionId : GHOST_SESSION;
        if (p.startsWith("/api/v1/workflows/")) return real ? workflow : "fuzz-ghost";
        if (p.contains("/executions/{id}")) {
            if (param.equals("name")) return "approve";
            return real ? executionId : GHOST_UUID;
        }
        if (p.startsWith("/api/v1/marketplace/items/")) return real ? itemId : GHOST_UUID;
        if (p.startsWith("/api/v1/secrets/")) return real ? "fuzz-secret" : "fuzz-ghost";
        return real ? "fuzz" : "fuzz-ghost";
    }

    /** The path with every parameter filled; {@code override} replaces one parameter's encoded value. */
    String path(Operation op, boolean real, String param, String override) {
        Matcher m = Pattern.compile("\\{([^}]+)}").matcher(op.path());
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String v = name.equals(param) ? override : Paths.encode(pathValue(op, name, real));
            m.appendReplacement(b, Matcher.quoteReplacement(v));
        }
        m.appendTail(b);
        return b.toString();
    }
}

final class Paths {
    static String encode(String s) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xFF;
            if (Character.isLetterOrDigit(c) && c < 0x80 || "-._~".indexOf(c) >= 0) b.append((char) c);
            else b.append(String.format("%%%02X", c));
        }
        return b.toString();
    }
}

/**
 * A valid request body per known operation: the services describe most bodies as opaque bytes in their OpenAPI
 * documents, so the field structure the generators mutate comes from here (docs/api.md), and an operation unknown
 * to this table gets the object its schema describes. Each example is built so that even if a service wrongly
 * accepts a mutation of it, little changes: creating POSTs collide with what the set-up made (409), merges repeat
 * the current values.
 */
final class Examples {
    /** Fields whose content is the client's own JSON: any value is valid there, so only NUL, invalid UTF-8, nesting
     *  and duplicate keys (refused everywhere by docs/api.md §3) are put inside them. */
    static final List<String> FREE_FORM = List.of("inputs", "data", "payload", "inputSchema");

    /** Operations whose body may be left out (docs/api.md §4.4 signals, §4.6 installs). */
    static final List<String> BODY_OPTIONAL = List.of("POST /api/v1/executions/{id}/signals/{name}",
            "POST /api/v1/marketplace/items/{id}/install");

    /** Fields with a fixed vocabulary or pattern: a control character there is always invalid. */
    static final List<String> STRICT = List.of("name", "role", "status", "mode", "events", "type", "onError", "license",
            "categories", "tags", "version", "id", "as", "workflow", "userId");

    static Object body(Operation op, Fixtures fx) {
        String key = op.method() + " " + op.path();
        return switch (key) {
            case "POST /api/v1/tenants" -> Json.map("name", fx.tenantName(), "quotas",
                    Json.map("workflows", 100L, "apiCallsPerMinute", 1_000_000_000L));
            case "PATCH /api/v1/tenants/{id}" -> Json.map("status", "active", "quotas",
                    Json.map("workflows", 100L, "apiCallsPerMinute", 1_000_000_000L));
            case "POST /api/v1/tenants/{id}/api-keys" -> Json.map("name", "fuzz-key", "role", "viewer", "expiresInDays", 30L);
            case "POST /api/v1/workflows", "PUT /api/v1/workflows/{name}" -> workflow(fx.workflow());
            case "POST /api/v1/workflows/{name}/executions" -> Json.map("inputs", Json.map("s", "x"), "mode", "sync",
                    "waitMs", 1000L, "timeoutMs", 60000L, "version", 1L);
            case "POST /api/v1/executions/{id}/signals/{name}" -> Json.map("payload", Json.map("ok", true));
            case "POST /api/v1/sessions" -> Json.map("userId", "fuzz-user", "ttlSeconds", 600L, "data", Json.map("k", "v"));
            case "PATCH /api/v1/sessions/{id}" -> Json.map("data", Json.map("k", "v"));
            case "POST /api/v1/marketplace/items" -> Json.map("workflow", fx.workflow(), "name", "Fuzz item",
                    "summary", "fuzz", "description", "fuzz", "categories", List.of("utilities"), "tags", List.of("fuzz"),
                    "license", "MIT");
            case "POST /api/v1/marketplace/items/{id}/versions" -> Json.map("version", "1.0.0", "description", "fuzz");
            case "POST /api/v1/marketplace/items/{id}/reviews", "PUT /api/v1/marketplace/items/{id}/reviews" ->
                    Json.map("rating", 4L, "comment", "fuzz");
            case "POST /api/v1/marketplace/items/{id}/install" -> Json.map("version", "9.9.9", "as", "fuzz-copy");
            case "POST /internal/api-keys/resolve" -> Json.map("sha256", "0".repeat(64));
            case "POST /internal/sessions/{id}/merge" -> Json.map("k", "v");
            default -> Json.map("name", "fuzz");
        };
    }

    /** The fuzz workflow: one transform; its input schema takes one short string and nothing else, so that a fuzzed
     *  start is refused unless only a string's content was fuzzed (NUL must reach the service's own checks). */
    static Map<String, Object> workflow(String name) {
        return Json.map("name", name, "description", "fuzz target", "timeoutMs", 60000L,
                "inputSchema", Json.map("type", "object", "properties", Json.map("s", Json.map("type", "string",
                        "maxLength", 64L)), "required", List.of("s"), "additionalProperties", false),
                "nodes", List.of(Json.map("id", "t", "type", "transform", "config", Json.map("expression", "inputs.s"),
                        "retry", Json.map("maxAttempts", 2L, "backoffMs", 0L), "timeoutMs", 1000L, "onError", "fail")),
                "edges", List.of(), "output", "nodes.t", "events", "none");
    }

    /** A chain of {@code n} transform nodes: over the 200-node limit, the shape that overflowed the cycle check. */
    static Map<String, Object> chain(String name, int n) {
        List<Object> nodes = new ArrayList<>();
        List<Object> edges = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            nodes.add(Json.map("id", "n" + k, "type", "transform", "config", Json.map("expression", "1 + " + k)));
            if (k > 0) edges.add(Json.map("from", "n" + (k - 1), "to", "n" + k));
        }
        return Json.map("name", name, "nodes", nodes, "edges", edges);
    }
}
