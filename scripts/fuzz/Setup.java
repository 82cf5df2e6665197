// Part of the fuzz suite: see Fuzz.java for what it does and how it runs.
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

// ------------------------------------------------------------------------------------------------ set-up and snapshot

/** Well-formed calls through the gateway, for the set-up, the snapshots and the clean-up. */
final class Api {
    private final RawHttp http;
    private final URI gateway;

    Api(RawHttp http, URI gateway) {
        this.http = http;
        this.gateway = gateway;
    }

    RawResponse call(String method, String path, String key, Object body, String... extraHeaders) {
        List<String[]> h = new ArrayList<>(Ctx.headers("Authorization", "Bearer " + key));
        for (int k = 0; k + 1 < extraHeaders.length; k += 2) h.add(new String[] {extraHeaders[k], extraHeaders[k + 1]});
        byte[] bytes = null;
        if (body != null) {
            h.add(new String[] {"Content-Type", Ctx.JSON});
            bytes = Wire.encode(body instanceof String s ? s : Json.write(body));
        }
        return http.send(gateway, RawRequest.of(method, path, h, bytes));
    }

    Map<String, Object> expect(int status, String method, String path, String key, Object body, String... headers) {
        RawResponse r = call(method, path, key, body, headers);
        if (r.status() != status) {
            throw new IllegalStateException(method + " " + path + " answered " + r.status() + " (expected " + status + "): "
                    + (r.failure() != null ? r.failure() : Wire.show(r.body(), 300)));
        }
        Object parsed = Mcp.OP.path().equals(path) ? Oracle.mcpMessage(r) : Json.tryParse(r.text());
        return Json.obj(parsed);
    }

    /** Every item of a cursor-paged list (docs/api.md §4.1), as "a:b" strings of the given members. */
    List<String> list(String path, String key, String... members) {
        List<String> out = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 500; page++) {
            String sep = path.contains("?") ? "&" : "?";
            RawResponse r = call("GET", path + sep + "limit=100" + (cursor == null ? "" : "&cursor=" + Paths.encode(cursor)), key, null);
            if (r.status() != 200) {
                out.add("unreadable: " + r.status());
                return out;
            }
            Map<String, Object> body = Json.obj(Json.tryParse(r.text()));
            for (Object item : Json.arr(body.get("items"))) {
                List<String> parts = new ArrayList<>();
                for (String m : members) parts.add(String.valueOf(Json.obj(item).get(m)));
                out.add(String.join(":", parts));
            }
            Object next = body.get("nextCursor");
            if (!(next instanceof String n) || n.isEmpty()) break;
            cursor = n;
        }
        Collections.sort(out);
        return out;
    }
}

/** Makes the fuzz tenant and what the fuzz requests aim at: a workflow, a finished execution, a session, an item. */
final class Setup {
    static Fixtures create(Api api, String adminKey, long seed) {
        String tenantName = "fuzz-" + seed + "-" + Long.toHexString(System.nanoTime() & 0xFFFFFF);
        Map<String, Object> tenant = api.expect(201, "POST", "/api/v1/tenants", adminKey, Json.map("name", tenantName,
                "quotas", Json.map("workflows", 100L, "apiCallsPerMinute", 1_000_000_000L)));
        String tenantId = (String) tenant.get("id");
        try {
            Map<String, Object> key = api.expect(201, "POST", "/api/v1/tenants/" + tenantId + "/api-keys", adminKey,
                    Json.map("name", "fuzz", "role", "admin"));
            String apiKey = (String) key.get("key");
            String workflow = "fuzz-wf";
            api.expect(201, "POST", "/api/v1/workflows", apiKey, Examples.workflow(workflow));
            Map<String, Object> execution = api.expect(200, "POST", "/api/v1/workflows/" + workflow + "/executions", apiKey,
                    Json.map("inputs", Json.map("s", "x")));
            Map<String, Object> session = api.expect(201, "POST", "/api/v1/sessions", apiKey,
                    Json.map("userId", "fuzz-user", "ttlSeconds", 3600L, "data", Json.map("k", "v")));
            Map<String, Object> item = api.expect(201, "POST", "/api/v1/marketplace/items", apiKey,
                    Examples.body(new Operation("", "POST", "/api/v1/marketplace/items", List.of(), true),
                            new Fixtures(tenantId, tenantName, apiKey, null, workflow, null, null, null)));
            return new Fixtures(tenantId, tenantName, apiKey, (String) key.get("id"), workflow,
                    (String) execution.get("executionId"), (String) session.get("id"), (String) item.get("id"));
        } catch (RuntimeException e) {
            api.call("DELETE", "/api/v1/tenants/" + tenantId, adminKey, null);
            throw e;
        }
    }
}

/** What the fuzz tenant (and the platform) has stored: compared before and after the run (oracle 4). */
final class Snapshot {
    static Map<String, String> take(Api api, Fixtures fx, String adminKey) {
        Map<String, String> s = new TreeMap<>();
        s.put("tenants (platform)", String.valueOf(api.list("/api/v1/tenants", adminKey, "id").size()));
        Map<String, Object> tenant = Json.obj(Json.tryParse(api.call("GET", "/api/v1/tenants/" + fx.tenantId(), adminKey, null).text()));
        tenant.remove("updatedAt");
        s.put("tenant", Json.write(tenant));
        s.put("api keys", String.join(",", api.list("/api/v1/tenants/" + fx.tenantId() + "/api-keys", adminKey, "id", "revokedAt")));
        s.put("workflows", String.join(",", api.list("/api/v1/workflows", fx.apiKey(), "name", "latestVersion")));
        s.put("executions", String.valueOf(api.list("/api/v1/executions", fx.apiKey(), "id").size()));
        s.put("sessions (active)", String.join(",", api.list("/api/v1/sessions?active=true", fx.apiKey(), "id")));
        s.put("sessions (ended)", String.join(",", api.list("/api/v1/sessions?active=false", fx.apiKey(), "id")));
        RawResponse session = api.call("GET", "/api/v1/sessions/" + fx.sessionId(), fx.apiKey(), null);
        s.put("session data", session.header("ETag") + " " + Json.write(Json.obj(Json.tryParse(session.text())).get("data")));
        Map<String, Object> item = Json.obj(Json.tryParse(api.call("GET", "/api/v1/marketplace/items/" + fx.itemId(), fx.apiKey(), null).text()));
        s.put("marketplace item", Json.write(item.get("versions")) + " " + Json.write(item.get("stats")) + " "
                + item.get("name") + " " + item.get("summary"));
        Map<String, Object> mine = Json.obj(Json.tryParse(api.call("GET", "/api/v1/marketplace/items?publisher="
                + fx.tenantId() + "&limit=100", fx.apiKey(), null).text()));
        s.put("marketplace items", String.valueOf(mine.get("total")));
        RawResponse secrets = api.call("GET", "/api/v1/secrets", fx.apiKey(), null);
        s.put("secrets", secrets.status() == 200 ? String.join(",", api.list("/api/v1/secrets", fx.apiKey(), "name"))
                : "not served (" + secrets.status() + ")");
        return s;
    }
}

/** The services' logs: what they logged during the run, boiled down to exception classes and SQL states. */
final class LogWatch {
    private static final Pattern THROWABLE = Pattern.compile(
            "((?:[a-zA-Z_$][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error))(?![\\w$])(?::\\s*([^\\n]{0,140}))?");
    private final Path dir;
    private final Map<Path, Long> offsets = new TreeMap<>();

    LogWatch(Path dir) {
        this.dir = dir;
        for (Path log : logs()) offsets.put(log, size(log));
    }

    private List<Path> logs() {
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".log")).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static long size(Path p) {
        try { return Files.size(p); } catch (IOException e) { return 0; }
    }

    /** Per log: each throwable class (with the start of its message) and how often it appeared since the start. */
    Map<String, Map<String, Integer>> since() {
        Map<String, Map<String, Integer>> out = new TreeMap<>();
        for (Path log : logs()) {
            long from = offsets.getOrDefault(log, 0L);
            try (var ch = java.nio.channels.FileChannel.open(log)) {
                long size = ch.size();
                if (size <= from) continue;
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate((int) Math.min(size - from, 64L << 20));
                ch.read(buf, from);
                String text = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
                Map<String, Integer> counts = new TreeMap<>();
                for (String line : text.split("\n")) {
                    if (line.startsWith("\tat ") || line.trim().startsWith("at ")) continue;
                    // The first throwable of the line, past the logger's category (io.ne.co.pr.ProblemExceptionMappers).
                    Matcher m = THROWABLE.matcher(line);
                    if (m.find()) {
                        String msg = m.group(2) == null ? "" : ": " + m.group(2).replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "<uuid>");
                        counts.merge(m.group(1) + msg, 1, Integer::sum);
                    }
                }
                if (!counts.isEmpty()) out.put(log.getFileName().toString(), counts);
            } catch (IOException e) {
                out.put(log.getFileName().toString(), Map.of("unreadable: " + e.getMessage(), 1));
            }
        }
        return out;
    }
}
