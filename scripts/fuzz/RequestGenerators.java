// Part of the fuzz suite: see Fuzz.java for what it does and how it runs.
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** Hostile path segments: NUL and control characters, malformed percent-escapes, encoded invalid UTF-8, raw bytes,
 *  dot segments, overlong segments. No resource has such an id or name: 400 or 404, never 500 (issue 17 #4). */
final class PathSegments implements Generator {
    static final Map<String, List<String>> VALUES = Map.of(
            "nul-control", List.of("%00", "a%00b", "%01", "a%1Bb", "%7F", "%0D%0Aset-cookie:x", "%09"),
            "bad-percent", List.of("%ZZ", "%", "%4", "a%", "%%41", "%u0041", "%G1", "%-1"),
            "invalid-utf8", List.of("%FF", "%C3%28", "%ED%A0%80", "%C0%AF", "%C0%AE%C0%AE", "%F8%88%80%80%80",
                    Wire.rawBytes(0xFF), Wire.rawBytes(0xC3, 0xA9)),
            "path-tricks", List.of("%2e%2e", "..%2F..%2Finternal", "%2F", "a;b=c", "%5C", "'%20or%201=1--",
                    "x".repeat(5000), "%F0%9F%98%80", "{id}", "%20"));

    public String name() { return "path"; }

    public void generate(Operation op, Ctx c, List<Spec> out) {
        for (Param p : op.in("path")) {
            for (Map.Entry<String, List<String>> e : VALUES.entrySet()) {
                for (String v : e.getValue()) {
                    String target = c.fx.path(op, false, p.name(), v);
                    // Dot segments may be normalised into another readable resource: harmless on a read.
                    Expect expect = e.getKey().equals("path-tricks") ? Expect.ANY : Expect.REJECT;
                    out.add(c.request(e.getKey(), op, target, List.of(), expect));
                }
            }
        }
        // An overlong request target: 414 problem+json.
        out.add(c.request("huge", op, c.path(op) + "?q=" + "a".repeat(70_000), List.of(), Expect.REJECT));
    }
}

/** Query parameters out of their documented ranges, of the wrong type, malformed or with NUL; a query parameter
 *  outside its rules is a 400 naming it (docs/api.md §4.1). */
final class QueryParams implements Generator {
    /** Values out of each known parameter's documented rules. */
    static final Map<String, List<String>> INVALID = Map.ofEntries(
            Map.entry("limit", List.of("0", "-1", "101", "1e309", "99999999999999999999", "abc", "1.5", "NaN", "0x10")),
            Map.entry("offset", List.of("-1", "10001", "abc", "99999999999999999999", "1e309")),
            Map.entry("cursor", List.of("zzz", "%ZZ", "%00", "A", "x".repeat(3000), "AAAA%00AAAA")),
            Map.entry("minRating", List.of("0", "6", "NaN", "abc", "1e309", "-Infinity")),
            Map.entry("version", List.of("0", "-1", "abc", "99999999999999999999", "1e309")),
            Map.entry("status", List.of("bogus", "%00", "RUNNING%01")),
            Map.entry("active", List.of("maybe", "%00", "1")),
            Map.entry("sort", List.of("bogus", "%00")),
            Map.entry("category", List.of("no-such-category", "%00")),
            Map.entry("tag", List.of("Bad%20Tag", "%00")));

    /** Rules of one endpoint only. */
    static final Map<String, List<String>> MARKETPLACE = Map.of("q", List.of("x".repeat(201), "%00"));

    /** Values that may be legitimately accepted by a free-text parameter, fuzz all the same. */
    static final List<String> ODD = List.of("%01", "%1B%5B31m", "%FF", "%C0%AF", "%E2%80%A8", "%F0%9F%98%80", "", "%20",
            "a&", "%26%3D");

    public String name() { return "query"; }

    public void generate(Operation op, Ctx c, List<Spec> out) {
        String path = c.path(op);
        for (Param p : op.in("query")) {
            List<String> invalid = op.path().equals("/api/v1/marketplace/items") && MARKETPLACE.containsKey(p.name())
                    ? MARKETPLACE.get(p.name()) : INVALID.getOrDefault(p.name(), List.of("%00", "a%00b"));
            for (String v : invalid) {
                out.add(c.request(cls(v), op, path + "?" + p.name() + "=" + v, List.of(), Expect.REJECT));
            }
            for (String v : List.of("%ZZ", "%", "%4", "%u0041")) {
                out.add(c.request("bad-percent", op, path + "?" + p.name() + "=" + v, List.of(), Expect.REJECT));
            }
            for (String v : c.pick(ODD, 4)) {
                out.add(c.request(cls(v), op, path + "?" + p.name() + "=" + v, List.of(), Expect.ANY));
            }
            out.add(c.request("query", op, path + "?" + p.name() + "=1&" + p.name() + "=2", List.of(), Expect.ANY));
        }
        out.add(c.request("bad-percent", op, path + "?%ZZ=1", List.of(), Expect.ANY));
        out.add(c.request("nul-control", op, path + "?a%00=1", List.of(), Expect.ANY));
        out.add(c.request("query", op, path + "?&&==&", List.of(), Expect.ANY));
    }

    static String cls(String v) {
        if (v.contains("%00") || v.contains("%01") || v.contains("%1B")) return "nul-control";
        if (v.contains("%FF") || v.contains("%C0")) return "invalid-utf8";
        if (v.contains("%ZZ") || v.equals("%")) return "bad-percent";
        if (v.length() > 200) return "huge";
        if (v.matches("-?[0-9.e+]+|NaN|-?Infinity|%2B5|0x10|1e309")) return "out-of-range";
        return "query";
    }
}

/** Headers the platform reads, with values it must refuse or survive (docs/api.md §2.5, §2.7, §2.10): control
 *  characters, raw bytes, huge values; and malformed header lines. */
final class Headers implements Generator {
    public String name() { return "headers"; }

    public void generate(Operation op, Ctx c, List<Spec> out) {
        String path = c.path(op);
        Map<String, List<String>> rejected = new LinkedHashMap<>();
        rejected.put("X-Nexus-Channel", List.of("bogus", "api\u0001", "api" + Wire.rawByte(0), Wire.rawBytes(0xFF),
                "c".repeat(10_000)));
        rejected.put("X-Nexus-Session", List.of("bad", "AAAAAAAAAAAAAAAAAAAAA!", Wire.rawByte(0) + "A".repeat(21),
                Wire.rawBytes(0xFF, 0xFE), "%00"));
        if (op.method().equals("POST")) {
            rejected.put("Idempotency-Key", List.of(Wire.rawByte(0), "k\u0001", "k".repeat(300), Wire.rawBytes(0xFF)));
        }
        if (op.path().startsWith("/api/v1/sessions/{id}") && op.method().equals("PATCH")) {
            rejected.put("If-Match", List.of("\"abc\"", "\"" + Wire.rawByte(0) + "\"", "\"99999999999999999999\""));
        }
        for (Map.Entry<String, List<String>> e : rejected.entrySet()) {
            for (String v : e.getValue()) {
                String cls = v.contains(Wire.rawByte(0)) || v.contains("\u0001") ? "nul-control"
                        : v.contains(Wire.rawByte(0xFF)) ? "invalid-utf8" : v.length() > 250 ? "huge" : name();
                boolean gatewayOnly = e.getKey().startsWith("X-Nexus-");
                out.add(c.request(cls, op, path, Ctx.headers(e.getKey(), v), gatewayOnly ? Expect.REJECT_AT_GATEWAY : Expect.REJECT));
            }
        }
        for (String[] h : List.of(new String[] {"X-Request-Id", "r\u0001" + Wire.rawBytes(0xFF)},
                new String[] {"X-Request-Id", "r".repeat(5000)}, new String[] {"Accept", "application/\u0001"},
                new String[] {"Accept", "text/html"}, new String[] {"Accept-Charset", "utf-7"},
                new String[] {"X-Forwarded-For", "'; drop table"}, new String[] {"Origin", "null"},
                new String[] {"X-Fuzz", Wire.rawByte(0x7F) + Wire.rawBytes(0xC0, 0xAF)})) {
            out.add(c.request(name(), op, path, Ctx.headers(h[0], h[1]), Expect.ANY));
        }
    }
}

/** Methods a path does not have (405 problem+json), and one no HTTP server knows. */
final class Methods implements Generator {
    private final Map<String, List<String>> methodsByPath;

    Methods(List<Operation> ops) {
        methodsByPath = new TreeMap<>();
        for (Operation op : ops) methodsByPath.computeIfAbsent(op.service() + " " + op.path(), k -> new ArrayList<>()).add(op.method());
    }

    public String name() { return "method"; }

    public void generate(Operation op, Ctx c, List<Spec> out) {
        List<String> declared = methodsByPath.get(op.service() + " " + op.path());
        if (!declared.get(0).equals(op.method())) return; // once per path
        String target = op.path().contains("{") ? c.fx.path(op, false, null, null) : op.path();
        for (String m : List.of("GET", "POST", "PUT", "PATCH", "DELETE", "FUZZ", "TRACE")) {
            if (declared.contains(m)) continue;
            List<String[]> h = Ctx.headers("Content-Type", Ctx.JSON);
            byte[] body = m.equals("GET") || m.equals("DELETE") || m.equals("TRACE") ? null : Wire.encode("{\"fuzzUnknownField\":1}");
            out.add(new Spec(name(), op, op.credential(), RawRequest.of(m, target, body == null ? List.of() : h, body),
                    Expect.REJECT));
        }
    }
}

/** Requests broken at the HTTP level, once per service (they never reach an operation). */
final class HttpSyntax implements Generator {
    public String name() { return "http-syntax"; }

    public void generate(Operation op, Ctx c, List<Spec> out) {
        if (!op.label().equals(first(op.service()))) return;
        String path = c.path(op);
        Map<RawRequest, Expect> requests = new LinkedHashMap<>();
        requests.put(get(path, Ctx.headers("X-Fuzz", "a\r\nBroken-Line-Without-Colon")), Expect.REJECT);
        requests.put(get(path, Ctx.headers("Bad Name", "x")), Expect.REJECT);
        requests.put(get(path, Ctx.headers("X-Nul" + Wire.rawByte(0), "x")), Expect.REJECT);
        requests.put(get(path, Ctx.headers("X-Fuzz", "a\r\n folded")), Expect.ANY);
        requests.put(get(path, Ctx.headers("X-Big", "b".repeat(70_000))), Expect.REJECT);
        requests.put(get(path, many()), Expect.REJECT);
        requests.put(get(path + Wire.rawBytes(0xFF), List.of()), Expect.REJECT);
        requests.put(get(path + Wire.rawByte(0) + "x", List.of()), Expect.REJECT);
        requests.put(get(path.replace("/", "\\"), List.of()), Expect.REJECT);
        requests.put(get("*", List.of()), Expect.REJECT);
        requests.put(get("http://evil.example" + path, List.of()), Expect.ANY);
        requests.put(get(path + "#frag", List.of()), Expect.ANY);
        requests.put(new RawRequest("GET", path, List.of(), null, Framing.NONE, 0, "\r\n\r\nGET / HTTP/1.1\r\n\r\n"), Expect.ANY);
        for (Map.Entry<RawRequest, Expect> r : requests.entrySet()) out.add(new Spec(name(), op, op.credential(), r.getKey(), r.getValue()));
    }

    private static RawRequest get(String target, List<String[]> headers) {
        return new RawRequest("GET", target, headers, null, Framing.NONE, 0, null);
    }

    private static List<String[]> many() {
        List<String[]> h = new ArrayList<>();
        for (int k = 0; k < 300; k++) h.add(new String[] {"X-Fuzz-" + k, "v".repeat(100)});
        return h;
    }

    private static final Map<String, String> FIRST = new ConcurrentHashMap<>();

    static void remember(List<Operation> ops) {
        for (Operation op : ops) if (op.readOnly() && !op.path().contains("{")) FIRST.putIfAbsent(op.service(), op.label());
    }

    private static String first(String service) { return FIRST.getOrDefault(service, ""); }
}

/** Broken credentials, once per service: 401 problem+json. Few of them: failed authentication may be throttled per
 *  client address, and the fuzz tenant's own requests come from the same address. */
final class AuthHeaders implements Generator {
    public String name() { return "auth"; }

    public void generate(Operation op, Ctx c, List<Spec> out) {
        if (!op.readOnly() || op.path().contains("{") || !op.label().equals(firstRead.get(op.service()))) return;
        List<String[]> values = List.of(new String[] {"Authorization", "Bearer"},
                new String[] {"Authorization", "Bearer \u0001"}, new String[] {"Authorization", "Bearer " + Wire.rawBytes(0xFF)},
                new String[] {"Authorization", "Basic Zm9vOmJhcg=="}, new String[] {"Authorization", "Bearer " + "k".repeat(5000)},
                new String[] {"Authorization", "Bearer nxk_" + Wire.rawByte(0)}, new String[] {"X-API-Key", "%00"},
                new String[] {"X-Nexus-Identity", "a.b.c"},
                new String[] {"X-Nexus-Identity", "eyJhbGciOiJub25lIn0.eyJyb2xlIjoicGxhdGZvcm0tYWRtaW4ifQ."},
                new String[] {"X-Nexus-Identity", "x".repeat(10_000)});
        for (String[] h : values) {
            out.add(new Spec(name(), op, Cred.NONE, RawRequest.of("GET", c.path(op), Ctx.headers(h[0], h[1]), null),
                    Expect.REJECT));
        }
    }

    private static final Map<String, String> firstRead = new ConcurrentHashMap<>();

    static void remember(List<Operation> ops) {
        for (Operation op : ops) if (op.readOnly() && !op.path().contains("{")) firstRead.putIfAbsent(op.service(), op.label());
    }
}
