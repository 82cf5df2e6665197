// Part of the fuzz suite: see Fuzz.java for what it does and how it runs.
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

// ------------------------------------------------------------------------------------------------------------- oracle

/** A broken promise, and the request that shows it. */
record Violation(String oracle, int status, String target, String operation, String cls, String reproducer, String answer) {
    String group() { return oracle + " | " + status + " | " + target + " | " + operation + " | " + cls; }
}

/** Judges one answer against the case's expectation (the oracles 1-3 of the header). */
final class Oracle {
    static List<Violation> judge(Case c, RawResponse r) {
        List<Violation> out = new ArrayList<>();
        Spec s = c.spec();
        String reproducer = (s.note() == null ? "" : "[field " + s.note() + "] ") + s.request().reproducer();
        java.util.function.BiConsumer<String, String> fail = (oracle, why) -> out.add(new Violation(oracle, r.status(),
                c.target().name, s.op().label(), s.cls(), reproducer, why));
        if (r.status() < 0) {
            // Broken framing may leave a server unable to answer at all: noted, not failed. A timeout always fails.
            boolean framing = s.request().rawTail() != null || s.cls().equals("http-syntax");
            fail.accept(framing && r.failure().startsWith("connection closed") ? "closed" : "unanswered", r.failure());
            return out;
        }
        String answer = Wire.show(r.body(), 200);
        if (r.status() >= 500) {
            fail.accept("no-5xx", answer);
            return out;
        }
        boolean mcp = s.expect() == Expect.MCP_ANY || s.expect() == Expect.MCP_REJECT || s.op() == Mcp.OP;
        if (r.status() >= 400 && codecRefusal(r)) {
            // The HTTP codec (Vert.x) refused the request line or headers before any Nexus code ran: Quarkus gives no
            // hook for that answer (docs/api.md §3), so it is noted, not failed. Everything else must be problem+json.
            fail.accept("codec", r.status() + " with an empty body from the HTTP codec");
            return out;
        }
        if (r.status() >= 400) {
            String problem = mcp ? mcpError(r) : problem(r);
            if (problem != null) fail.accept(mcp ? "mcp-error-shape" : "problem+json", problem + "; answer: " + answer);
        }
        Expect expect = s.expect() == Expect.REJECT_AT_GATEWAY ? (c.target().gateway() ? Expect.REJECT : Expect.ANY) : s.expect();
        switch (expect) {
            case REJECT -> { if (r.status() < 400) fail.accept("refused", "accepted invalid input; answer: " + answer); }
            case TOO_LARGE -> {
                if (r.status() != 413 && !List.of(401, 403, 404, 405, 415).contains(r.status())) {
                    fail.accept("413", "expected 413; answer: " + answer);
                }
            }
            case MCP_REJECT -> {
                if (r.status() < 400 && !mcpRefusal(r)) fail.accept("refused", "accepted invalid input; answer: " + answer);
            }
            default -> { }
        }
        return out;
    }

    /**
     * The HTTP codec's own bare refusal (Vert.x's default invalid-request answer, then the connection is closed): 400,
     * 414 or 431 with no Content-Type and no body. Every answer Nexus code writes has a Content-Type.
     */
    static boolean codecRefusal(RawResponse r) {
        return List.of(400, 414, 431).contains(r.status()) && r.header("Content-Type") == null && r.body().length == 0;
    }

    /** Answers the suite notes but does not fail: a connection closed on broken framing, the codec's bare refusals. */
    static boolean noted(Violation v) {
        return v.oracle().equals("closed") || v.oracle().equals("codec");
    }

    /** Why a 4xx is not a well-formed problem document, or null. */
    static String problem(RawResponse r) {
        String type = r.header("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/problem+json")) {
            return "Content-Type " + type + " (" + r.body().length + " bytes)";
        }
        Object body = Json.tryParse(r.text());
        if (!(body instanceof Map<?, ?> m)) return "body is not a JSON object";
        Object status = m.get("status");
        if (!(status instanceof Long n) || n != r.status()) return "status member " + status + " is not " + r.status();
        return null;
    }

    /** A 4xx at /mcp carries a JSON-RPC error (the MCP transport) or a problem document (the gateway's own refusals). */
    static String mcpError(RawResponse r) {
        if (problem(r) == null) return null;
        Object body = Json.tryParse(r.text());
        if (body instanceof Map<?, ?> m && m.get("error") instanceof Map<?, ?>) return null;
        return "neither a JSON-RPC error nor problem+json: Content-Type " + r.header("Content-Type");
    }

    /** A 2xx at /mcp that refuses: a JSON-RPC error, or a tool result with isError. */
    static boolean mcpRefusal(RawResponse r) {
        Object msg = mcpMessage(r);
        if (!(msg instanceof Map<?, ?> m)) return false; // 202 with no message: the request was taken for a notification
        if (m.get("error") != null) return true;
        return Json.obj(m.get("result")).get("isError") == Boolean.TRUE;
    }

    /** The answer's JSON-RPC message: the body, or the last data line of an event stream. */
    static Object mcpMessage(RawResponse r) {
        String text = r.text();
        String type = String.valueOf(r.header("Content-Type"));
        if (type.contains("event-stream")) {
            String last = null;
            for (String line : text.split("\n")) if (line.startsWith("data:")) last = line.substring(5).trim();
            return last == null ? null : Json.tryParse(last);
        }
        return Json.tryParse(text);
    }
}
