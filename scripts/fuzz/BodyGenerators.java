// Part of the fuzz suite: see Fuzz.java for what it does and how it runs.
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

// ---------------------------------------------------------------------------------------------------------- generators

/** Bodies that are not JSON, or not one JSON object (docs/api.md §3: 400). */
final class MalformedJson implements Generator {
    public String name() { return "malformed-json"; }

    public void generate(Operation op, Ctx c, List<Spec> out) {
        if (!op.hasBody()) return;
        String valid = Json.write(c.baseline(op));
        List<String> bodies = new ArrayList<>(List.of("{", "}", "{\"", "{\"a\":}", "{,}", "{\"a\":1,}",
                "{\"a\" 1}", "{'a':1}", "{a:1}", "{\"a\":01}", "{\"a\":.5}", "{\"a\":+1}", "{\"a\":\"\\x\"}",
                "{\"a\":\"\\u12\"}", "{\"a\":\"unterminated", "/* c */ {}", "{\"a\":NaN}", "{\"a\":Infinity}",
                "{\"a\":undefined}", "nul", "tru", "[]", "[1,]", "\"s\"", "1", "null", "true",
                valid.substring(0, valid.length() / 2), valid.substring(0, valid.length() - 1)));
        // No body at all is valid where the body is optional (docs/api.md: signals, installs).
        if (!Examples.BODY_OPTIONAL.contains(op.method() + " " + op.path())) bodies.addAll(List.of("", " "));
        for (String b : bodies) out.add(c.body(name(), op, b, Expect.REJECT));
    }
}

/** Each field with values of the wrong JSON type (docs/api.md §3: no coercion, 400/422 naming the field). */
final class WrongTypes implements Generator {
    public String name() { return "wrong-type"; }

    public void generate(Operation op, Ctx c, List<Spec> out) {
        if (!op.hasBody()) return;
        Object base = c.baseline(op);
        for (Field f : Ctx.fields(base)) {
            if (f.freeForm() && !Examples.FREE_FORM.contains(f.key())) continue;
            if (f.freeForm() && f.key().equals("payload")) continue; // any JSON is a payload
            List<Object> wrong = new ArrayList<>();
            Object v = f.value();
            if (v instanceof String) wrong.addAll(List.of(123L, true, List.of(), Json.map(), new Json.Raw("1.5")));
            else if (v instanceof Long) wrong.addAll(List.of("5", true, List.of(1L), Json.map(), new Json.Raw("1.5"),
                    new Json.Raw("\"NaN\"")));
            else if (v instanceof Boolean) wrong.addAll(List.of("true", 1L, List.of()));
            else if (v instanceof List<?>) wrong.addAll(List.of("x", Json.map(), 1L, true));
            else if (v instanceof Map<?, ?>) wrong.addAll(List.of("x", List.of(), 1L, false));
            for (Object w : c.pick(wrong, 3)) out.add(c.body(name(), op, Json.write(Ctx.set(base, f.path(), w)), Expect.REJECT).at(f.dotted()));
        }
    }
}

/** Numbers no field accepts: beyond double and long, negative where every field starts at 0 or 1, NaN. */
final class OutOfRange implements Generator {
    static final List<String> VALUES = List.of("1e309", "-1e309", "1e400", "9223372036854775808",
            "-9223372036854775809", "99999999999999999999999999999999", "-1", "1.7976931348623157e308", "NaN", "-Infinity",
            "1e-400", "123456789012345678901234567890.5");

    public String name() { return "out-of-range"; }

    public void generate(Operation op, Ctx c, List<Spec> out) {
        if (!op.hasBody()) return;
        Object base = c.baseline(op);
        for (Field f : Ctx.fields(base)) {
            if (f.freeForm() || !(f.value() instanceof Long)) continue;
            for (String v : VALUES) {
                // 1e-400 is 0 after underflow: out of range only where the minimum is 1.
                if (v.equals("1e-400") && List.of("backoffMs", "waitMs", "workflows", "apiCallsPerMinute").contains(f.key())) continue;
                out.add(c.body(name(), op, Json.write(Ctx.set(base, f.path(), new Json.Raw(v))), Expect.REJECT).at(f.dotted()));
            }
        }
    }
}

/** Strings far over every documented length (the longest is 10,000 characters), and bodies over 1 MiB (413). */
final class HugeInput implements Generator {
    public String name() { return "huge"; }

    public void generate(Operation op, Ctx c, List<Spec> out) {
        if (!op.hasBody()) return;
        Object base = c.baseline(op);
        String huge = "é".repeat(35_000) + "a".repeat(35_000);
        for (Field f : Ctx.fields(base)) {
            if (f.freeForm() || !(f.value() instanceof String)) continue;
            out.add(c.body(name(), op, Json.write(Ctx.set(base, f.path(), huge)), Expect.REJECT).at(f.dotted()));
        }
        Map<String, Object> big = Json.obj(Json.copy(base));
        big.put("fuzzPadding", "x".repeat(1024 * 1024 + 10));
        out.add(c.body(name(), op, Json.write(big), Expect.TOO_LARGE));
        out.add(c.body(name(), op, "[" + "1,".repeat(600_000) + "1]", Expect.TOO_LARGE));
    }
}

/** Deeply nested arrays and objects (a parser's recursion), and a 9,000-node chain (the graph checks' recursion). */
final class DeepNesting implements Generator {
    public String name() { return "deep-nesting"; }

    public void generate(Operation op, Ctx c, List<Spec> out) {
        if (!op.hasBody()) return;
        Object base = c.baseline(op);
        out.add(c.body(name(), op, Ctx.nested("[", "]", 10_000, "1"), Expect.REJECT));
        out.add(c.body(name(), op, Ctx.nested("{\"a\":", "}", 10_000, "1"), Expect.REJECT));
        out.add(c.body(name(), op, Ctx.nested("[", "", 50_000, ""), Expect.REJECT));
        for (Field f : Ctx.fields(base)) {
            if (f.path().size() > 2) continue;
            String deep = Ctx.nested("{\"a\":[", "]}", 5_000, "1");
            out.add(c.body(name(), op, Json.write(Ctx.set(base, f.path(), new Json.Raw(deep))), Expect.REJECT).at(f.dotted()));
        }
        if (op.path().startsWith("/api/v1/workflows") && !op.path().endsWith("/executions")) {
            out.add(c.body(name(), op, Json.write(Examples.chain(c.fx.workflow(), 9_000)), Expect.REJECT));
            out.add(c.body(name(), op, Json.write(Examples.chain(c.fx.workflow(), 201)), Expect.REJECT));
        }
    }
}

/** NUL in every string (PostgreSQL cannot store it: must be 400/422, never 500), other control characters where a
 *  pattern or a vocabulary forbids them. */
final class NulAndControl implements Generator {
    static final List<String> CONTROL = List.of("\u0001", "\u001b[31m", "\u007f", "\r\n", "\u0085", "\ud800");

    public String name() { return "nul-control"; }

    public void generate(Operation op, Ctx c, List<Spec> out) {
        if (!op.hasBody()) return;
        Object base = c.baseline(op);
        for (Field f : Ctx.fields(base)) {
            if (!(f.value() instanceof String s)) continue;
            for (String v : List.of(s + "\u0000", "a\u0000b", "\u0000")) {
                out.add(c.body(name(), op, Json.write(Ctx.set(base, f.path(), v)), Expect.REJECT).at(f.dotted()));
            }
            if (f.strict(op) && !f.freeForm()) {
                for (String ctl : c.pick(CONTROL, 3)) {
                    out.add(c.body(name(), op, Json.write(Ctx.set(base, f.path(), s + ctl)), Expect.REJECT).at(f.dotted()));
                }
            }
        }
        // A NUL in a key, also inside free-form JSON.
        for (Field f : Ctx.fields(base)) {
            if (f.value() instanceof Map<?, ?> m) {
                Map<String, Object> withKey = new LinkedHashMap<>(Json.obj(Json.copy(m)));
                withKey.put("k\u0000", "v");
                out.add(c.body(name(), op, Json.write(Ctx.set(base, f.path(), withKey)), Expect.REJECT).at(f.dotted()));
            }
        }
    }
}

/** Bytes that are not UTF-8 inside JSON strings (400: the body is not JSON). */
final class InvalidUtf8 implements Generator {
    static final List<String> SEQUENCES = List.of(Wire.rawBytes(0xFF), Wire.rawBytes(0xC3, 0x28),
            Wire.rawBytes(0xED, 0xA0, 0x80), Wire.rawBytes(0xC0, 0xAF), Wire.rawBytes(0x80),
            Wire.rawBytes(0xE2, 0x82), Wire.rawBytes(0xF8, 0x88, 0x80, 0x80, 0x80), Wire.rawBytes(0xFE, 0xFF));

    public String name() { return "invalid-utf8"; }

    public void generate(Operation op, Ctx c, List<Spec> out) {
        if (!op.hasBody()) return;
        Object base = c.baseline(op);
        for (Field f : Ctx.fields(base)) {
            if (!(f.value() instanceof String s)) continue;
            for (String seq : c.pick(SEQUENCES, 3)) {
                out.add(c.body(name(), op, Json.write(Ctx.set(base, f.path(), s + seq)), Expect.REJECT).at(f.dotted()));
            }
        }
        out.add(c.body(name(), op, Wire.rawBytes(0xFF, 0xFE) + Json.write(base), Expect.REJECT));
    }
}

/** Content after the JSON value (docs/api.md §3 and issue 17 #6: 400, not silently ignored). */
final class TrailingGarbage implements Generator {
    static final List<String> TAILS = List.of("{\"fuzzTrailing\":1}", "x", "]", "}", ",", "\"s\"", "1", "null", "[]",
            Wire.rawByte(0), "\u0000", "//", Wire.rawByte(0xFF));

    public String name() { return "trailing-garbage"; }

    public void generate(Operation op, Ctx c, List<Spec> out) {
        if (!op.hasBody()) return;
        String valid = Json.write(c.baseline(op));
        for (String tail : TAILS) out.add(c.body(name(), op, valid + tail, Expect.REJECT));
        out.add(c.body(name(), op, valid + " \n\t " + "{\"fuzzTrailing\":1}", Expect.REJECT));
    }
}

/** The same key twice (docs/api.md §3: an error), at the top and inside nested and free-form objects. */
final class DuplicateKeys implements Generator {
    public String name() { return "duplicate-keys"; }

    public void generate(Operation op, Ctx c, List<Spec> out) {
        if (!op.hasBody()) return;
        Object base = c.baseline(op);
        if (!(base instanceof Map<?, ?> top) || top.isEmpty()) return;
        for (Field f : Ctx.fields(base)) {
            if (f.path().size() > 3 || f.path().get(f.path().size() - 1) instanceof Integer) continue;
            // Rebuild the parent object's text with this key written twice: once as is, once with the same value.
            List<Object> parent = f.path().subList(0, f.path().size() - 1);
            Object parentValue = parent.isEmpty() ? base : valueAt(base, parent);
            String key = f.key();
            StringBuilder text = new StringBuilder("{");
            for (Map.Entry<String, Object> e : Json.obj(parentValue).entrySet()) {
                text.append(Json.quote(e.getKey())).append(':').append(Json.write(e.getValue())).append(',');
            }
            text.append(Json.quote(key)).append(':').append(Json.write(f.value())).append('}');
            String body = parent.isEmpty() ? text.toString() : Json.write(Ctx.set(base, parent, new Json.Raw(text.toString())));
            out.add(c.body(name(), op, body, Expect.REJECT).at(f.dotted()));
        }
    }

    private static Object valueAt(Object root, List<Object> path) {
        Object node = root;
        for (Object p : path) node = p instanceof Integer i ? Json.arr(node).get(i) : Json.obj(node).get(p);
        return node;
    }
}

/** Fields no schema has (docs/api.md §3: "unknown field"), at the top and in nested objects that are not free-form. */
final class UnknownFields implements Generator {
    public String name() { return "unknown-fields"; }

    public void generate(Operation op, Ctx c, List<Spec> out) {
        if (!op.hasBody()) return;
        Object base = c.baseline(op);
        if (!(base instanceof Map<?, ?>)) return;
        for (String key : List.of("fuzzUnknown", "__proto__", "constructor", "", "Name", "nul\u0000key")) {
            Map<String, Object> b = Json.obj(Json.copy(base));
            b.put(key, 1L);
            out.add(c.body(name(), op, Json.write(b), Expect.REJECT));
        }
        for (Field f : Ctx.fields(base)) {
            if (f.freeForm() || !(f.value() instanceof Map<?, ?> m)) continue;
            Map<String, Object> nested = new LinkedHashMap<>(Json.obj(Json.copy(m)));
            nested.put("fuzzUnknown", 1L);
            out.add(c.body(name(), op, Json.write(Ctx.set(base, f.path(), nested)), Expect.REJECT).at(f.dotted()));
        }
    }
}

/** A valid body labelled as something else, or not labelled (docs/api.md §3: 415). */
final class ContentTypes implements Generator {
    static final List<String> TYPES = List.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x", "application/jsonx", "json", ";;", "application/json-patch+json",
            "text/json", "*/*", "application/\u0001json", Wire.rawBytes(0xFF) + "/json", "application/octet-stream");

    public String name() { return "content-type"; }

    public void generate(Operation op, Ctx c, List<Spec> out) {
        if (!op.hasBody()) return;
        String valid = Json.write(c.baseline(op));
        out.add(c.bodyWith(name(), op, valid, null, Expect.REJECT));
        for (String t : TYPES) {
            // The install endpoint documents application/octet-stream in its OpenAPI; its example body is refused anyway.
            out.add(c.bodyWith(name(), op, valid, t, Expect.REJECT));
        }
    }
}

/** Chunked bodies: small and odd chunk sizes (must parse like any other body), broken chunking, a chunked body over
 *  1 MiB (413, never cut at 1 MiB and forwarded: issue 17 #5), chunked and Content-Length together. */
final class Chunked implements Generator {
    public String name() { return "chunked"; }

    public void generate(Operation op, Ctx c, List<Spec> out) {
        if (!op.hasBody()) return;
        byte[] invalid = Wire.encode(c.invalidBody(op));
        String path = c.path(op);
        List<String[]> json = Ctx.headers("Content-Type", Ctx.JSON);
        for (int size : new int[] {1, 7, 4096}) {
            out.add(new Spec(name(), op, op.credential(),
                    new RawRequest(op.method(), path, json, invalid, Framing.CHUNKED, size, null), Expect.REJECT));
        }
        Map<String, Object> big = Json.obj(Json.copy(c.baseline(op)));
        big.put("description", "x".repeat(1536 * 1024));
        byte[] bigBody = Wire.encode(Json.write(big));
        out.add(new Spec(name(), op, op.credential(),
                new RawRequest(op.method(), path, json, bigBody, Framing.CHUNKED, 65536, null), Expect.TOO_LARGE));
        // Exactly one byte over 1 MiB, the last chunk tipping it over: a valid document if cut at 1 MiB + 0.
        String padded = Json.write(Json.map("fuzzPadding", ""));
        int pad = 1024 * 1024 + 1 - padded.length();
        out.add(new Spec(name(), op, op.credential(), new RawRequest(op.method(), path, json,
                Wire.encode(Json.write(Json.map("fuzzPadding", "y".repeat(pad)))), Framing.CHUNKED, 1024 * 1024, null),
                Expect.TOO_LARGE));
        String body = new String(invalid, StandardCharsets.ISO_8859_1);
        List<String> tails = List.of(
                "Transfer-Encoding: chunked\r\n\r\nzz\r\n" + body + "\r\n0\r\n\r\n",
                "Transfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n",
                "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(invalid.length) + ";ext=1\r\n" + body + "\r\n0\r\n\r\n",
                "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n" + Integer.toHexString(invalid.length) + "\r\n" + body + "\r\n0\r\n\r\n",
                "Content-Length: 5\r\nContent-Length: 7\r\n\r\n" + body,
                "Content-Length: -1\r\n\r\n" + body,
                "Content-Length: 99999999999999999999\r\n\r\n" + body,
                "Transfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n" + body + "\r\n0\r\n\r\n");
        for (String tail : tails) {
            // ISO-8859-1 kept the body's bytes one char each; Wire text needs raw-byte chars for those above 0x7F.
            StringBuilder wire = new StringBuilder();
            for (char ch : ("Content-Type: application/json\r\n" + tail).toCharArray()) {
                wire.append(ch < 0x80 ? String.valueOf(ch) : Wire.rawByte(ch));
            }
            out.add(new Spec(name(), op, op.credential(),
                    new RawRequest(op.method(), path, List.of(), null, Framing.NONE, 0, wire.toString()), Expect.REJECT));
        }
    }
}
