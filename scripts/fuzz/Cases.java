// Part of the fuzz suite: see Fuzz.java for what it does and how it runs.
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

// ---------------------------------------------------------------------------------------------------------- test cases

/** What a case's input deserves, by docs/api.md: */
enum Expect {
    /** valid or at least harmless (a search for a control character): any 2xx or a well-formed 4xx */
    ANY,
    /** invalid by the API's rules: a well-formed 4xx */
    REJECT,
    /** a client header only the gateway checks (docs/api.md §2.5: channel and session; a service reads them from the
     *  signed identity): REJECT through the gateway, ANY directly */
    REJECT_AT_GATEWAY,
    /** a body over 1 MiB: 413 problem+json; or a refusal that needs no body (401, 403, 404, 405, 415: a path that is
     *  never routed, say). Never 400 or 422: those mean the body was read, cut short (issue 17 #5). */
    TOO_LARGE,
    /** MCP, harmless: a JSON-RPC answer */
    MCP_ANY,
    /** MCP, invalid: a JSON-RPC error or a tool result with isError, never a success */
    MCP_REJECT
}

/** One fuzz input for one operation, before a target adds its host and credentials. */
record Spec(String cls, Operation op, Cred cred, RawRequest request, Expect expect, String note) {
    Spec(String cls, Operation op, Cred cred, RawRequest request, Expect expect) {
        this(cls, op, cred, request, expect, null);
    }

    /** The same case, with the fuzzed field named (a body's first bytes may not show it). */
    Spec at(String field) { return new Spec(cls, op, cred, request, expect, field); }
}

/** A spec bound to a target: what is actually sent. */
record Case(Spec spec, Target target) {}

/** A JSON value inside a body, addressed by keys and indexes. */
record Field(List<Object> path, Object value, boolean freeForm) {
    String key() {
        for (int k = path.size() - 1; k >= 0; k--) if (path.get(k) instanceof String s) return s;
        return "";
    }

    /** A vocabulary or a pattern: "name" only where it is an identifier (workflows), not a display name. */
    boolean strict(Operation op) {
        if (key().equals("name")) return op.path().startsWith("/api/v1/workflows");
        return Examples.STRICT.contains(key());
    }

    String dotted() {
        StringBuilder b = new StringBuilder();
        for (Object p : path) {
            if (p instanceof Integer i) b.append('[').append(i).append(']');
            else b.append(b.length() == 0 ? "" : ".").append(p);
        }
        return b.toString();
    }
}

/** What every generator shares: the fixtures, the seeded random source and request assembly. */
final class Ctx {
    static final String JSON = "application/json";
    final Fixtures fx;
    final Random random;

    Ctx(Fixtures fx, Random random) {
        this.fx = fx;
        this.random = random;
    }

    /** Real ids reach the service's checks; an operation that needs no body to act (DELETE, cancel, yank) and the
     *  SSE stream only ever get ids that do not exist, so that no fuzz request can delete or cancel a fixture. */
    boolean real(Operation op) { return !op.streaming() && (op.readOnly() || op.hasBody()); }

    String path(Operation op) { return fx.path(op, real(op), null, null); }

    Object baseline(Operation op) { return Examples.body(op, fx); }

    /** A baseline made invalid by an unknown field: for cases whose fuzz is elsewhere (a header, the query), so that
     *  a mutating operation never acts on them. */
    String invalidBody(Operation op) {
        Object b = baseline(op);
        if (b instanceof Map<?, ?>) Json.obj(b).put("fuzzUnknownField", 1L);
        return Json.write(b);
    }

    Spec body(String cls, Operation op, String body, Expect expect) {
        return bodyWith(cls, op, body, JSON, expect);
    }

    Spec bodyWith(String cls, Operation op, String body, String contentType, Expect expect) {
        List<String[]> h = new ArrayList<>();
        if (contentType != null) h.add(new String[] {"Content-Type", contentType});
        return new Spec(cls, op, op.credential(),
                RawRequest.of(op.method(), path(op), h, Wire.encode(body)), expect);
    }

    /** A request whose fuzz is in the target (path or query) or the headers; mutating operations carry an invalid
     *  body and ids that do not exist. */
    Spec request(String cls, Operation op, String target, List<String[]> headers, Expect expect) {
        List<String[]> h = new ArrayList<>(headers);
        byte[] body = null;
        if (op.hasBody()) {
            if (h.stream().noneMatch(x -> x[0].equalsIgnoreCase("Content-Type"))) h.add(new String[] {"Content-Type", JSON});
            body = Wire.encode(invalidBody(op));
        }
        return new Spec(cls, op, op.credential(), RawRequest.of(op.method(), target, h, body),
                op.readOnly() || expect != Expect.ANY ? expect : Expect.REJECT);
    }

    static List<Field> fields(Object body) {
        List<Field> out = new ArrayList<>();
        walk(body, new ArrayList<>(), false, out);
        return out;
    }

    private static void walk(Object node, List<Object> prefix, boolean free, List<Field> out) {
        if (node instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                List<Object> p = new ArrayList<>(prefix);
                p.add(e.getKey());
                boolean f = free || Examples.FREE_FORM.contains((String) e.getKey());
                out.add(new Field(p, e.getValue(), f));
                walk(e.getValue(), p, f, out);
            }
        } else if (node instanceof List<?> l) {
            for (int k = 0; k < l.size(); k++) {
                List<Object> p = new ArrayList<>(prefix);
                p.add(k);
                out.add(new Field(p, l.get(k), free));
                walk(l.get(k), p, free, out);
            }
        }
    }

    /** A copy of {@code body} with the value at {@code path} replaced. */
    @SuppressWarnings("unchecked")
    static Object set(Object body, List<Object> path, Object value) {
        Object copy = Json.copy(body);
        Object node = copy;
        for (int k = 0; k < path.size() - 1; k++) {
            Object p = path.get(k);
            node = p instanceof Integer i ? ((List<Object>) node).get(i) : ((Map<String, Object>) node).get(p);
        }
        Object last = path.get(path.size() - 1);
        if (last instanceof Integer i) ((List<Object>) node).set(i, value);
        else ((Map<String, Object>) node).put((String) last, value);
        return copy;
    }

    <T> List<T> pick(List<T> from, int n) {
        List<T> copy = new ArrayList<>(from);
        Collections.shuffle(copy, random);
        return copy.subList(0, Math.min(n, copy.size()));
    }

    static List<String[]> headers(String... kv) {
        List<String[]> h = new ArrayList<>();
        for (int k = 0; k < kv.length; k += 2) h.add(new String[] {kv[k], kv[k + 1]});
        return h;
    }

    static String nested(String open, String close, int depth, String inner) {
        return open.repeat(depth) + inner + close.repeat(depth);
    }
}

/** One class of hostile input: turns an operation into the cases of that class. */
interface Generator {
    String name();

    void generate(Operation op, Ctx c, List<Spec> out);
}
