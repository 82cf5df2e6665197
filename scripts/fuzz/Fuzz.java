// The fuzz suite's engine (issue 17): hostile and careless input against every operation the services publish at
// /q/openapi, and against /mcp, both through the gateway (a fuzz tenant's API key) and straight to each service (a
// signed X-Nexus-Identity, as benchmarks/lib/common.sh signs one). No dependencies: run with the JDK source launcher,
// Java 17+, normally from scripts/suites/fuzz.sh.
//
//   java scripts/fuzz/Fuzz.java [GATEWAY_URL]
//
// Environment:
//   NEXUS_ADMIN_KEY        the platform admin key (required: creates and deletes the fuzz tenant, fuzzes admin routes)
//   NEXUS_INTERNAL_KEY     the key that signs X-Nexus-Identity (required for the direct targets)
//   FUZZ_SEED              the seed of every choice (default: the clock; always printed, pass it back to reproduce)
//   FUZZ_REQUESTS          fuzz requests to send, spread evenly over input classes and targets (default 3000)
//   FUZZ_CONCURRENCY       requests in flight (default 4)
//   FUZZ_PROBE_EVERY       a responsiveness probe of every target after this many fuzz requests (default 100)
//   FUZZ_PROBE_LATENCY_MS  the latency a probe must stay under (default 2000)
//   FUZZ_TIMEOUT_MS        how long one request may take before it counts as unanswered (default 15000)
//   FUZZ_SERVICES          name=host:port,... of the direct targets (default: the four services on 8081-8084)
//   FUZZ_LOG_DIR           the services' logs (default .nexus/logs): exceptions logged during the run are listed
//   FUZZ_REPORT            where every violation group is written with its reproducer (default /tmp/nexus-fuzz-SEED.txt)
//
// Every request goes over a raw socket (one connection per request, Connection: close): java.net.http cannot send a
// malformed percent-escape, raw non-UTF-8 bytes, a control character in a header or broken chunking, and one
// transport for everything keeps the reproducers exact.
//
// Oracles, each printed as "ok - ..." / "not ok - ..." (the suites' format), exit status 1 when one fails:
//   1. no 5xx and no request left unanswered;
//   2. every 4xx is application/problem+json with a parseable body whose `status` is the HTTP status (on /mcp: a
//      JSON-RPC error body, or problem+json from the gateway);
//   3. input that is invalid by the API's rules (docs/api.md §3) is refused (4xx), a body over 1 MiB with 413;
//   4. nothing stored: the fuzz tenant's workflows, executions, sessions, API keys, marketplace item, secrets and the
//      platform's tenants are the same before and after;
//   5. every target stays responsive: every FUZZ_PROBE_EVERY requests, its readiness and one valid request answer 200
//      within FUZZ_PROBE_LATENCY_MS.
// Failures are grouped by (oracle, status, target, operation, input class), each with a reproducer.
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

public class Fuzz {
    public static void main(String[] args) throws Exception {
        Config config;
        try {
            config = Config.from(args);
        } catch (IllegalArgumentException e) {
            System.err.println("fuzz: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(new FuzzRun(config).execute());
    }
}

// ------------------------------------------------------------------------------------------------------ configuration

record Config(URI gateway, String adminKey, String internalKey, Map<String, URI> services, long seed, int requests,
              int concurrency, int probeEvery, long probeLatencyMs, int timeoutMs, Path logDir, Path report) {

    static Config from(String[] args) {
        String gateway = args.length > 0 ? args[0] : env("NEXUS_GATEWAY_URL", "http://127.0.0.1:8000");
        String admin = env("NEXUS_ADMIN_KEY", "");
        String internal = env("NEXUS_INTERNAL_KEY", "");
        if (admin.isEmpty()) throw new IllegalArgumentException("NEXUS_ADMIN_KEY is required");
        if (internal.isEmpty()) throw new IllegalArgumentException("NEXUS_INTERNAL_KEY is required");
        Map<String, URI> services = new LinkedHashMap<>();
        for (String entry : env("FUZZ_SERVICES", "tenant-service=127.0.0.1:8081,workflow-service=127.0.0.1:8082,"
                + "session-service=127.0.0.1:8083,marketplace-service=127.0.0.1:8084").split(",")) {
            String[] kv = entry.trim().split("=", 2);
            if (kv.length != 2) throw new IllegalArgumentException("FUZZ_SERVICES: bad entry " + entry);
            services.put(kv[0], URI.create("http://" + kv[1]));
        }
        String seed = env("FUZZ_SEED", "");
        long seedValue = seed.isEmpty() ? System.currentTimeMillis() % 1_000_000 : Long.parseLong(seed);
        return new Config(URI.create(gateway.replaceAll("/+$", "")), admin, internal, services,
                seedValue,
                Integer.parseInt(env("FUZZ_REQUESTS", "3000")), Integer.parseInt(env("FUZZ_CONCURRENCY", "4")),
                Integer.parseInt(env("FUZZ_PROBE_EVERY", "100")), Long.parseLong(env("FUZZ_PROBE_LATENCY_MS", "2000")),
                Integer.parseInt(env("FUZZ_TIMEOUT_MS", "15000")), Path.of(env("FUZZ_LOG_DIR", ".nexus/logs")),
                Path.of(env("FUZZ_REPORT", System.getProperty("java.io.tmpdir") + "/nexus-fuzz-" + seedValue + ".txt")));
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v.trim();
    }
}

// --------------------------------------------------------------------------------------------------------------- JSON

/**
 * A small JSON reader and writer (the source launcher has no libraries): objects are LinkedHashMaps, arrays Lists,
 * numbers Longs or Doubles. {@link Raw} values are written verbatim, which is how a generator puts text no JSON writer
 * produces (1e309, a duplicate key, invalid UTF-8) into an otherwise well-formed document.
 */
final class Json {
    /** Verbatim JSON text, e.g. {@code 1e309}. */
    record Raw(String text) {}

    private final String s;
    private int i;

    private Json(String s) { this.s = s; }

    static Object parse(String text) {
        Json p = new Json(text);
        p.ws();
        Object v = p.value(0);
        p.ws();
        if (p.i != text.length()) throw new IllegalArgumentException("trailing content at " + p.i);
        return v;
    }

    static Object tryParse(String text) {
        try { return parse(text); } catch (RuntimeException e) { return null; }
    }

    private Object value(int depth) {
        if (depth > 512) throw new IllegalArgumentException("too deep");
        if (i >= s.length()) throw new IllegalArgumentException("unexpected end");
        char c = s.charAt(i);
        switch (c) {
            case '{': {
                i++;
                Map<String, Object> m = new LinkedHashMap<>();
                ws();
                if (peek('}')) { i++; return m; }
                while (true) {
                    ws();
                    String k = string();
                    ws();
                    expect(':');
                    ws();
                    m.put(k, value(depth + 1));
                    ws();
                    if (peek(',')) { i++; continue; }
                    expect('}');
                    return m;
                }
            }
            case '[': {
                i++;
                List<Object> l = new ArrayList<>();
                ws();
                if (peek(']')) { i++; return l; }
                while (true) {
                    ws();
                    l.add(value(depth + 1));
                    ws();
                    if (peek(',')) { i++; continue; }
                    expect(']');
                    return l;
                }
            }
            case '"': return string();
            case 't': word("true"); return Boolean.TRUE;
            case 'f': word("false"); return Boolean.FALSE;
            case 'n': word("null"); return null;
            default: return number();
        }
    }

    private Object number() {
        int start = i;
        while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
        String n = s.substring(start, i);
        if (n.isEmpty()) throw new IllegalArgumentException("unexpected character at " + start);
        if (n.matches("-?\\d{1,18}")) return Long.parseLong(n);
        return Double.parseDouble(n);
    }

    private String string() {
        expect('"');
        StringBuilder b = new StringBuilder();
        while (true) {
            if (i >= s.length()) throw new IllegalArgumentException("unterminated string");
            char c = s.charAt(i++);
            if (c == '"') return b.toString();
            if (c != '\\') { b.append(c); continue; }
            char e = s.charAt(i++);
            switch (e) {
                case 'n' -> b.append('\n');
                case 't' -> b.append('\t');
                case 'r' -> b.append('\r');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'u' -> { b.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; }
                default -> b.append(e);
            }
        }
    }

    private void word(String w) {
        if (!s.startsWith(w, i)) throw new IllegalArgumentException("bad literal at " + i);
        i += w.length();
    }

    private boolean peek(char c) { return i < s.length() && s.charAt(i) == c; }

    private void expect(char c) {
        if (!peek(c)) throw new IllegalArgumentException("expected '" + c + "' at " + i);
        i++;
    }

    private void ws() { while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++; }

    static String write(Object v) {
        StringBuilder b = new StringBuilder();
        write(b, v);
        return b.toString();
    }

    @SuppressWarnings("unchecked")
    private static void write(StringBuilder b, Object v) {
        if (v == null) b.append("null");
        else if (v instanceof Raw r) b.append(r.text());
        else if (v instanceof String str) quote(b, str);
        else if (v instanceof Map<?, ?> m) {
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) b.append(',');
                first = false;
                quote(b, String.valueOf(e.getKey()));
                b.append(':');
                write(b, e.getValue());
            }
            b.append('}');
        } else if (v instanceof List<?> l) {
            b.append('[');
            for (int k = 0; k < l.size(); k++) {
                if (k > 0) b.append(',');
                write(b, l.get(k));
            }
            b.append(']');
        } else b.append(v);
    }

    /** Quotes a string; characters a JSON writer must escape are escaped, everything else (Wire bytes too) is kept. */
    static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20 || lone(s, k)) b.append(String.format("\\u%04x", (int) c)); // a lone surrogate has no UTF-8
            else b.append(c);
        }
        b.append('"');
    }

    private static boolean lone(String s, int k) {
        char c = s.charAt(k);
        if (Character.isHighSurrogate(c)) return k + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(k + 1));
        if (Character.isLowSurrogate(c)) return k == 0 || !Character.isHighSurrogate(s.charAt(k - 1));
        return false;
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder();
        quote(b, s);
        return b.toString();
    }

    /** A deep copy of a parsed or built document, so that a mutation never leaks into the baseline. */
    @SuppressWarnings("unchecked")
    static Object copy(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> c = new LinkedHashMap<>();
            m.forEach((k, x) -> c.put((String) k, copy(x)));
            return c;
        }
        if (v instanceof List<?> l) {
            List<Object> c = new ArrayList<>();
            l.forEach(x -> c.add(copy(x)));
            return c;
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> obj(Object v) { return v instanceof Map<?, ?> ? (Map<String, Object>) v : Map.of(); }

    @SuppressWarnings("unchecked")
    static List<Object> arr(Object v) { return v instanceof List<?> ? (List<Object>) v : List.of(); }

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int k = 0; k < kv.length; k += 2) m.put((String) kv[k], kv[k + 1]);
        return m;
    }
}

// --------------------------------------------------------------------------------------------------------------- wire

/**
 * Request text to bytes. Text is UTF-8, except that the characters U+F700..U+F7FF stand for the single raw bytes
 * 0x00..0xFF: that is how a generator puts invalid UTF-8 (0xFF, a lone continuation byte, an encoded surrogate) into a
 * path, a header or a JSON string, which no String can hold otherwise.
 */
final class Wire {
    static final char RAW_BASE = '\uF700';

    static String rawByte(int b) { return String.valueOf((char) (RAW_BASE + (b & 0xFF))); }

    static String rawBytes(int... bytes) {
        StringBuilder b = new StringBuilder();
        for (int x : bytes) b.append(rawByte(x));
        return b.toString();
    }

    static byte[] encode(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() + 16);
        StringBuilder run = new StringBuilder();
        for (int k = 0; k < text.length(); k++) {
            char c = text.charAt(k);
            if (c >= RAW_BASE && c <= RAW_BASE + 0xFF) {
                out.writeBytes(run.toString().getBytes(StandardCharsets.UTF_8));
                run.setLength(0);
                out.write(c - RAW_BASE);
            } else run.append(c);
        }
        out.writeBytes(run.toString().getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** Printable form of request bytes for a reproducer: non-printable bytes as \xNN, cut at {@code max}. */
    static String show(byte[] bytes, int max) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < Math.min(bytes.length, max); k++) {
            int x = bytes[k] & 0xFF;
            if (x >= 0x20 && x < 0x7F && x != '\\') b.append((char) x);
            else b.append(String.format("\\x%02x", x));
        }
        if (bytes.length > max) b.append("... (").append(bytes.length).append(" bytes)");
        return b.toString();
    }

    static String show(String text, int max) { return show(encode(text), max); }
}

/** How a request's body is framed. */
enum Framing { LENGTH, CHUNKED, NONE }

/**
 * One HTTP/1.1 request as it goes on the wire. {@code target} and header values are Wire text (raw bytes allowed);
 * {@code rawTail}, when set, replaces the framing and body entirely (broken chunking, smuggling attempts).
 */
record RawRequest(String method, String target, List<String[]> headers, byte[] body, Framing framing, int chunkSize,
                  String rawTail) {

    static RawRequest of(String method, String target, List<String[]> headers, byte[] body) {
        return new RawRequest(method, target, headers, body, body == null ? Framing.NONE : Framing.LENGTH, 0, null);
    }

    byte[] bytes(String hostHeader) {
        StringBuilder head = new StringBuilder();
        head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        if (hostHeader != null) head.append("Host: ").append(hostHeader).append("\r\n");
        for (String[] h : headers) head.append(h[0]).append(": ").append(h[1]).append("\r\n");
        head.append("Connection: close\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (rawTail != null) {
            out.writeBytes(Wire.encode(head.toString()));
            out.writeBytes(Wire.encode(rawTail));
            return out.toByteArray();
        }
        switch (framing) {
            case LENGTH -> head.append("Content-Length: ").append(body == null ? 0 : body.length).append("\r\n\r\n");
            case CHUNKED -> head.append("Transfer-Encoding: chunked\r\n\r\n");
            case NONE -> head.append("\r\n");
        }
        out.writeBytes(Wire.encode(head.toString()));
        if (framing == Framing.LENGTH && body != null) out.writeBytes(body);
        if (framing == Framing.CHUNKED) {
            byte[] b = body == null ? new byte[0] : body;
            int size = chunkSize <= 0 ? 8192 : chunkSize;
            for (int off = 0; off < b.length; off += size) {
                int n = Math.min(size, b.length - off);
                out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(b, off, n);
                out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    RawRequest withHeaders(List<String[]> more) {
        List<String[]> all = new ArrayList<>(more);
        all.addAll(headers);
        return new RawRequest(method, target, all, body, framing, chunkSize, rawTail);
    }

    /** method, target, headers and the first bytes of the body: enough to send it again by hand. Built from the spec's
     *  request, before a target adds its credentials, so that no key or token ends up in a report. */
    String reproducer() {
        StringBuilder b = new StringBuilder(method).append(' ').append(Wire.show(target, 200));
        int shown = 0;
        for (String[] h : headers) {
            if (++shown > 4) {
                b.append(" | ... ").append(headers.size()).append(" headers");
                break;
            }
            b.append(" | ").append(Wire.show(h[0], 40)).append(": ").append(Wire.show(h[1], 80));
        }
        if (framing == Framing.CHUNKED) b.append(" | chunked(").append(chunkSize).append(')');
        if (rawTail != null) b.append(" | raw: ").append(Wire.show(rawTail, 160));
        else if (body != null) b.append(" | body: ").append(Wire.show(body, 160));
        return b.toString();
    }
}

/** An answer, or why there was none ({@code status} -1). */
record RawResponse(int status, Map<String, String> headers, byte[] body, long millis, String failure) {
    String header(String name) { return headers.get(name.toLowerCase(Locale.ROOT)); }

    String text() { return new String(body, StandardCharsets.UTF_8); }

    static RawResponse failed(String why, long millis) { return new RawResponse(-1, Map.of(), new byte[0], millis, why); }
}

/**
 * Sends one request on a new connection and reads one answer: headers, then Content-Length bytes, the chunks, or
 * everything up to the close. A server that answers before it read the whole body (413 on a huge one) may reset the
 * connection while the request is still being written: the answer is read anyway.
 */
final class RawHttp {
    private final int timeoutMs;

    RawHttp(int timeoutMs) { this.timeoutMs = timeoutMs; }

    RawResponse send(URI base, RawRequest request) {
        long start = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
            socket.setSoTimeout(timeoutMs);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request.bytes(base.getHost() + ":" + base.getPort()));
                out.flush();
            } catch (IOException writeFailed) {
                // Read below: an early answer (413, 400) is what we want to see.
            }
            return read(socket.getInputStream(), start);
        } catch (SocketTimeoutException e) {
            return RawResponse.failed("no answer within " + timeoutMs + " ms", millis(start));
        } catch (IOException e) {
            return RawResponse.failed("connection failed: " + e.getMessage(), millis(start));
        }
    }

    private static long millis(long start) { return (System.nanoTime() - start) / 1_000_000; }

    private RawResponse read(InputStream in, long start) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] chunk = new byte[16384];
        while (true) {
            int n;
            try {
                n = in.read(chunk);
            } catch (IOException reset) {
                n = -1;
            }
            if (n > 0) buf.write(chunk, 0, n);
            RawResponse parsed = parse(buf.toByteArray(), n < 0, start);
            if (parsed != null) return parsed;
            if (n < 0) {
                return RawResponse.failed(buf.size() == 0 ? "connection closed without an answer"
                        : "incomplete answer: " + Wire.show(buf.toByteArray(), 120), millis(start));
            }
        }
    }

    /** The answer when {@code data} holds all of it (or the connection ended and it is framed by the close). */
    private static RawResponse parse(byte[] data, boolean closed, long start) {
        int headEnd = indexOf(data, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
        if (headEnd < 0) return null;
        String[] lines = new String(data, 0, headEnd, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        int status;
        try {
            status = Integer.parseInt(statusLine[1]);
        } catch (RuntimeException e) {
            return RawResponse.failed("unreadable status line: " + lines[0], millis(start));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int k = 1; k < lines.length; k++) {
            int colon = lines[k].indexOf(':');
            if (colon > 0) {
                headers.putIfAbsent(lines[k].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[k].substring(colon + 1).trim());
            }
        }
        int bodyStart = headEnd + 4;
        String length = headers.get("content-length");
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            int pos = bodyStart;
            while (true) {
                int lineEnd = indexOf(data, new byte[] {'\r', '\n'}, pos);
                if (lineEnd < 0) return closed ? done(status, headers, body.toByteArray(), start) : null;
                String sizeText = new String(data, pos, lineEnd - pos, StandardCharsets.ISO_8859_1).split(";")[0].trim();
                int size = Integer.parseInt(sizeText, 16);
                if (size == 0) return done(status, headers, body.toByteArray(), start);
                if (lineEnd + 2 + size + 2 > data.length) return closed ? done(status, headers, body.toByteArray(), start) : null;
                body.write(data, lineEnd + 2, size);
                pos = lineEnd + 2 + size + 2;
            }
        }
        if (length != null) {
            int n = Integer.parseInt(length);
            if (data.length - bodyStart >= n) return done(status, headers, Arrays.copyOfRange(data, bodyStart, bodyStart + n), start);
            return closed ? done(status, headers, Arrays.copyOfRange(data, bodyStart, data.length), start) : null;
        }
        if (status == 204 || status == 304 || (status >= 100 && status < 200)) return done(status, headers, new byte[0], start);
        return closed ? done(status, headers, Arrays.copyOfRange(data, bodyStart, data.length), start) : null;
    }

    private static RawResponse done(int status, Map<String, String> headers, byte[] body, long start) {
        return new RawResponse(status, headers, body, millis(start), null);
    }

    private static int indexOf(byte[] data, byte[] needle, int from) {
        outer:
        for (int k = from; k <= data.length - needle.length; k++) {
            for (int j = 0; j < needle.length; j++) if (data[k + j] != needle[j]) continue outer;
            return k;
        }
        return -1;
    }
}

/** X-Nexus-Identity for the direct targets: the HS256 JWT the gateway would forward (docs/api.md §2.9). */
final class IdentitySigner {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private final byte[] key;

    IdentitySigner(String internalKey) { this.key = internalKey.getBytes(StandardCharsets.UTF_8); }

    /**
     * A token valid for 60 s (the gateway's own lifetime: a service may refuse longer ones), for one audience (the
     * service it is sent to: ignored by services that do not check audiences yet).
     */
    String sign(String role, String tenantId, String keyId, String audience) {
        long now = System.currentTimeMillis() / 1000;
        StringBuilder claims = new StringBuilder("{\"iss\":\"nexus-gateway\",\"iat\":").append(now)
                .append(",\"exp\":").append(now + 60).append(",\"role\":\"").append(role).append('"');
        if (tenantId != null) claims.append(",\"tid\":\"").append(tenantId).append('"');
        if (keyId != null) claims.append(",\"kid\":\"").append(keyId).append('"');
        if (audience != null) claims.append(",\"aud\":\"").append(audience).append('"');
        claims.append(",\"ch\":\"api\"}");
        String input = B64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return input + "." + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }
}

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

// ------------------------------------------------------------------------------------------------------------ targets

/** Where a case is sent: the gateway (API keys) or one service directly (signed identities). */
final class Target {
    final String name;
    final URI base;
    /** null for the gateway, which routes every service's operations. */
    final String service;
    private final Fixtures fx;
    private final String adminKey;
    private final IdentitySigner signer;
    volatile String mcpSession = "none";

    Target(String name, URI base, String service, Fixtures fx, String adminKey, IdentitySigner signer) {
        this.name = name;
        this.base = base;
        this.service = service;
        this.fx = fx;
        this.adminKey = adminKey;
        this.signer = signer;
    }

    boolean gateway() { return service == null; }

    boolean accepts(Spec s) { return gateway() || s.op().service().equals(service); }

    List<String[]> credentials(Cred cred) {
        if (cred == Cred.NONE) return List.of();
        if (gateway()) return Ctx.headers("Authorization", "Bearer " + (cred == Cred.TENANT ? fx.apiKey() : adminKey));
        String token = cred == Cred.TENANT ? signer.sign("admin", fx.tenantId(), fx.keyId(), service)
                : signer.sign("platform-admin", null, null, service);
        return Ctx.headers("X-Nexus-Identity", token);
    }

    RawRequest prepare(Spec s) {
        List<String[]> headers = new ArrayList<>();
        for (String[] h : s.request().headers()) {
            headers.add(Mcp.SESSION.equals(h[1]) ? new String[] {h[0], mcpSession} : h);
        }
        RawRequest r = s.request();
        return new RawRequest(r.method(), r.target(), headers, r.body(), r.framing(), r.chunkSize(), r.rawTail())
                .withHeaders(credentials(s.cred()));
    }
}

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

// -------------------------------------------------------------------------------------------------------------- run

/** Set-up, the seeded case list, the run with its probes, the after-checks and the report. */
final class FuzzRun {
    private final Config config;
    private final RawHttp http;
    private final Api api;
    private final Map<String, AtomicInteger> perClass = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> perTarget = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> perStatus = new ConcurrentHashMap<>();
    private final Map<String, List<Violation>> violations = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> probeMax = new ConcurrentHashMap<>();
    private final List<String> createdTenants = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger probes = new AtomicInteger();

    FuzzRun(Config config) {
        this.config = config;
        this.http = new RawHttp(config.timeoutMs());
        this.api = new Api(http, config.gateway());
    }

    int execute() throws Exception {
        long started = System.nanoTime();
        System.out.printf("fuzz: seed %d (FUZZ_SEED=%d reproduces it), budget %d requests, %d in flight%n",
                config.seed(), config.seed(), config.requests(), config.concurrency());
        List<Operation> ops = new ArrayList<>();
        for (Map.Entry<String, URI> s : config.services().entrySet()) ops.addAll(OpenApi.load(http, s.getKey(), s.getValue()));
        Fixtures fx;
        try {
            fx = Setup.create(api, config.adminKey(), config.seed());
        } catch (RuntimeException e) {
            System.out.println("not ok - fuzz set-up: " + e.getMessage());
            return 1;
        }
        System.out.printf("fuzz: %d operations from /q/openapi of %s; fuzz tenant %s%n", ops.size(),
                String.join(", ", config.services().keySet()), fx.tenantId());
        try {
            return run(ops, fx, started);
        } finally {
            for (String t : createdTenants) api.call("DELETE", "/api/v1/tenants/" + t, config.adminKey(), null);
            api.call("DELETE", "/api/v1/tenants/" + fx.tenantId(), config.adminKey(), null);
        }
    }

    private int run(List<Operation> ops, Fixtures fx, long started) throws Exception {
        IdentitySigner signer = new IdentitySigner(config.internalKey());
        List<Target> targets = new ArrayList<>();
        targets.add(new Target("gateway", config.gateway(), null, fx, config.adminKey(), signer));
        for (Map.Entry<String, URI> s : config.services().entrySet()) {
            targets.add(new Target(s.getKey(), s.getValue(), s.getKey(), fx, config.adminKey(), signer));
        }
        Map<String, Map<String, Object>> tools = initializeMcp(targets, fx);
        Map<String, String> before = Snapshot.take(api, fx, config.adminKey());
        LogWatch logs = new LogWatch(config.logDir());

        List<Case> cases = plan(ops, fx, targets, tools);
        ExecutorService pool = Executors.newFixedThreadPool(config.concurrency());
        for (Case c : cases) pool.submit(() -> runOne(c, targets, fx));
        pool.shutdown();
        while (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
            System.out.printf("fuzz: %d/%d sent%n", sent.get(), cases.size());
        }
        probe(targets, fx);
        Thread.sleep(1000); // let the last answers' log lines reach the files

        Map<String, String> after = Snapshot.take(api, fx, config.adminKey());
        for (String key : before.keySet()) {
            if (!before.get(key).equals(after.get(key))) {
                record(new Violation("nothing-stored", 0, "platform", key, "-", "before: " + cut(before.get(key)),
                        "after: " + cut(after.get(key))));
            }
        }
        return report(cases.size(), logs.since(), (System.nanoTime() - started) / 1_000_000_000.0);
    }

    private static String cut(String s) { return s.length() > 300 ? s.substring(0, 300) + "..." : s; }

    /** MCP sessions for the gateway and for workflow-service directly, and the tools the fuzz tenant has. */
    private Map<String, Map<String, Object>> initializeMcp(List<Target> targets, Fixtures fx) {
        String init = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\","
                + "\"capabilities\":{},\"clientInfo\":{\"name\":\"fuzz\",\"version\":\"1\"}}}";
        Map<String, Map<String, Object>> tools = new TreeMap<>();
        for (Target t : targets) {
            if (!t.gateway() && !"workflow-service".equals(t.service)) continue;
            List<String[]> h = new ArrayList<>(Mcp.headers());
            h.removeIf(x -> x[0].equals("Mcp-Session-Id"));
            RawResponse r = http.send(t.base, RawRequest.of("POST", "/mcp", h, Wire.encode(init)).withHeaders(t.credentials(Cred.TENANT)));
            if (r.status() != 200 || r.header("Mcp-Session-Id") == null) {
                System.out.println("fuzz: MCP initialize at " + t.name + " answered " + r.status() + "; MCP cases there will fail");
                continue;
            }
            t.mcpSession = r.header("Mcp-Session-Id");
            h.add(new String[] {"Mcp-Session-Id", t.mcpSession});
            http.send(t.base, RawRequest.of("POST", "/mcp", h, Wire.encode("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"))
                    .withHeaders(t.credentials(Cred.TENANT)));
            if (t.gateway()) {
                RawResponse list = http.send(t.base, RawRequest.of("POST", "/mcp", h,
                        Wire.encode("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}")).withHeaders(t.credentials(Cred.TENANT)));
                Map<String, Object> result = Json.obj(Json.obj(Oracle.mcpMessage(list)).get("result"));
                for (Object tool : Json.arr(result.get("tools"))) {
                    tools.put((String) Json.obj(tool).get("name"), Json.obj(Json.obj(tool).get("inputSchema")));
                }
            }
        }
        System.out.println("fuzz: MCP tools " + tools.keySet());
        return tools;
    }

    /** Every generator over every operation, bound to every target that serves it; then a seeded sample of the
     *  budget that takes from each input class in turn, so that a small budget still covers every class. */
    private List<Case> plan(List<Operation> ops, Fixtures fx, List<Target> targets, Map<String, Map<String, Object>> tools) {
        Random random = new Random(config.seed());
        Ctx ctx = new Ctx(fx, random);
        HttpSyntax.remember(ops);
        AuthHeaders.remember(ops);
        List<Generator> generators = List.of(new MalformedJson(), new WrongTypes(), new OutOfRange(), new HugeInput(),
                new DeepNesting(), new NulAndControl(), new InvalidUtf8(), new TrailingGarbage(), new DuplicateKeys(),
                new UnknownFields(), new ContentTypes(), new Chunked(), new PathSegments(), new QueryParams(),
                new Headers(), new Methods(ops), new HttpSyntax(), new AuthHeaders());
        List<Spec> specs = new ArrayList<>();
        for (Operation op : ops) for (Generator g : generators) g.generate(op, ctx, specs);
        new Mcp(tools).generate(Mcp.OP, ctx, specs);
        Map<String, List<Case>> byClass = new TreeMap<>();
        for (Spec s : specs) {
            for (Target t : targets) if (t.accepts(s)) byClass.computeIfAbsent(s.cls(), k -> new ArrayList<>()).add(new Case(s, t));
        }
        int total = byClass.values().stream().mapToInt(List::size).sum();
        List<List<Case>> queues = new ArrayList<>();
        for (List<Case> l : byClass.values()) {
            Collections.shuffle(l, random);
            queues.add(l);
        }
        List<Case> plan = new ArrayList<>();
        int[] next = new int[queues.size()];
        while (plan.size() < Math.min(config.requests(), total)) {
            for (int q = 0; q < queues.size() && plan.size() < config.requests(); q++) {
                if (next[q] < queues.get(q).size()) plan.add(queues.get(q).get(next[q]++));
            }
        }
        Collections.shuffle(plan, random);
        System.out.printf("fuzz: %d cases generated in %d classes (%s); sending %d%n", total, byClass.size(),
                byClass.entrySet().stream().map(e -> e.getKey() + " " + e.getValue().size()).collect(Collectors.joining(", ")),
                plan.size());
        return plan;
    }

    private void runOne(Case c, List<Target> targets, Fixtures fx) {
        try {
            RawRequest request = c.target().prepare(c.spec());
            RawResponse r = http.send(c.target().base, request);
            perClass.computeIfAbsent(c.spec().cls(), k -> new AtomicInteger()).incrementAndGet();
            perTarget.computeIfAbsent(c.target().name, k -> new AtomicInteger()).incrementAndGet();
            perStatus.computeIfAbsent(r.status() < 0 ? "none" : r.status() / 100 + "xx", k -> new AtomicInteger()).incrementAndGet();
            for (Violation v : Oracle.judge(c, r)) record(v);
            if (c.spec().op().label().equals("POST /api/v1/tenants") && r.status() / 100 == 2) {
                Object id = Json.obj(Json.tryParse(r.text())).get("id");
                if (id instanceof String s) createdTenants.add(s);
            }
            if (sent.incrementAndGet() % config.probeEvery() == 0) probe(targets, fx);
        } catch (RuntimeException e) {
            record(new Violation("fuzzer", 0, c.target().name, c.spec().op().label(), c.spec().cls(),
                    c.spec().request().reproducer(), "fuzzer error: " + e));
        }
    }

    /** Oracle 5: each target's readiness and one valid request, each within the latency bound. */
    private void probe(List<Target> targets, Fixtures fx) {
        probes.incrementAndGet();
        for (Target t : targets) {
            String ready = t.gateway() ? "/health" : "/q/health/ready";
            String valid = switch (t.service == null ? "gateway" : t.service) {
                case "tenant-service" -> "/api/v1/tenant";
                case "session-service" -> "/api/v1/sessions?limit=1";
                case "marketplace-service" -> "/api/v1/marketplace/items?limit=1";
                default -> "/api/v1/workflows?limit=1";
            };
            for (RawRequest r : List.of(RawRequest.of("GET", ready, List.of(), null),
                    RawRequest.of("GET", valid, List.of(), null).withHeaders(t.credentials(Cred.TENANT)))) {
                RawResponse a = http.send(t.base, r);
                probeMax.computeIfAbsent(t.name, k -> new AtomicLong()).accumulateAndGet(a.millis(), Math::max);
                if (a.status() != 200 || a.millis() > config.probeLatencyMs()) {
                    record(new Violation("responsive", a.status(), t.name, "GET " + r.target().split("\\?")[0], "probe",
                            r.reproducer(), a.millis() + " ms after " + sent.get() + " fuzz requests; "
                            + (a.failure() != null ? a.failure() : Wire.show(a.body(), 160))));
                }
            }
        }
    }

    private void record(Violation v) {
        violations.computeIfAbsent(v.group(), k -> Collections.synchronizedList(new ArrayList<>())).add(v);
    }

    private int report(int planned, Map<String, Map<String, Integer>> logs, double seconds) {
        System.out.println();
        System.out.printf("fuzz: %d fuzz requests (+ %d probe rounds) in %.0f s, seed %d%n", sent.get(), probes.get(), seconds, config.seed());
        System.out.println("  per class:  " + counts(perClass));
        System.out.println("  per target: " + counts(perTarget));
        System.out.println("  answers:    " + counts(perStatus));
        System.out.println("  slowest probe per target (ms): " + probeMax.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
        Map<String, Integer> byOracle = new TreeMap<>();
        violations.forEach((group, list) -> byOracle.merge(list.get(0).oracle(), list.size(), Integer::sum));
        if (!violations.isEmpty()) printViolations();
        if (!logs.isEmpty()) {
            System.out.println("\nfuzz: exceptions the services logged during the run (class: message start, count):");
            logs.forEach((log, counts) -> {
                System.out.println("  " + log);
                counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(25)
                        .forEach(e -> System.out.printf("      %5d  %s%n", e.getValue(), e.getKey()));
            });
        }
        System.out.println();
        String[][] oracles = {
                {"no-5xx", "no 5xx answer"}, {"unanswered", "every request answered within " + config.timeoutMs() + " ms"},
                {"problem+json", "every 4xx is application/problem+json with its status"},
                {"mcp-error-shape", "every 4xx at /mcp is a JSON-RPC error or problem+json"},
                {"refused", "invalid input refused with a 4xx (docs/api.md §3)"},
                {"413", "bodies over 1 MiB answered 413, chunked or not"},
                {"nothing-stored", "nothing stored: the fuzz tenant's and the platform's data unchanged"},
                {"responsive", "every target ready and answering a valid request within " + config.probeLatencyMs() + " ms, every "
                        + config.probeEvery() + " requests"},
                {"fuzzer", "the fuzzer itself ran without errors"}};
        int failed = 0;
        for (String[] o : oracles) {
            int n = byOracle.getOrDefault(o[0], 0);
            System.out.println((n == 0 ? "ok - " : "not ok - ") + "fuzz: " + o[1] + " (" + sent.get() + " requests"
                    + (n == 0 ? "" : "; " + n + " violations") + ")");
            if (n > 0) failed++;
        }
        return failed == 0 ? 0 : 1;
    }

    /**
     * Two views: on stdout the distinct failure classes (oracle, status, input class, gateway or direct) with the
     * operations they hit and one reproducer each; in FUZZ_REPORT every (target, operation) group with its reproducer.
     */
    private void printViolations() {
        List<Violation> all = violations.values().stream().flatMap(List::stream).toList();
        Map<String, List<Violation>> classes = new TreeMap<>();
        for (Violation v : all) {
            if (v.oracle().equals("closed")) continue;
            String where = v.target().equals("platform") ? "platform: " + v.operation()
                    : v.target().equals("gateway") ? "gateway" : "direct";
            classes.computeIfAbsent(v.oracle() + " | " + v.status() + " | " + v.cls() + " | " + where, k -> new ArrayList<>()).add(v);
        }
        System.out.printf("%nfuzz: %d violations, %d distinct (oracle | status | input class | via), each with one reproducer:%n",
                all.stream().filter(v -> !v.oracle().equals("closed")).count(), classes.size());
        classes.forEach((key, list) -> {
            Violation v = list.get(0);
            String ops = list.stream().map(x -> x.operation() + (x.target().equals("gateway") || x.target().equals("platform")
                    ? "" : " @" + x.target())).distinct().sorted().limit(8).collect(Collectors.joining("; "));
            long distinctOps = list.stream().map(Violation::operation).distinct().count();
            System.out.printf("  [%s] x%d on %s%s%n      request: %s%n      answer:  %s%n", key, list.size(), ops,
                    distinctOps > 8 ? " and " + (distinctOps - 8) + " more" : "", cut(v.reproducer(), 400), cut(v.answer(), 300));
        });
        long closed = all.stream().filter(v -> v.oracle().equals("closed")).count();
        if (closed > 0) {
            System.out.printf("  (noted, not failed: %d requests with broken framing were answered by closing the connection, e.g. %s)%n",
                    closed, cut(all.stream().filter(v -> v.oracle().equals("closed")).findFirst().get().reproducer(), 200));
        }
        try {
            StringBuilder b = new StringBuilder("fuzz seed " + config.seed() + ": every violation group (oracle | status | target | operation | class)\n");
            violations.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
                Violation v = e.getValue().get(0);
                b.append(String.format("[%s] x%d%n    request: %s%n    answer:  %s%n", e.getKey(), e.getValue().size(),
                        cut(v.reproducer(), 2000), v.answer()));
            });
            Files.writeString(config.report(), b.toString());
            System.out.println("  every group with its reproducer: " + config.report());
        } catch (IOException e) {
            System.out.println("  could not write " + config.report() + ": " + e.getMessage());
        }
    }

    private static String cut(String s, int max) { return s.length() > max ? s.substring(0, max) + "..." : s; }

    private static String counts(Map<String, AtomicInteger> m) {
        return new TreeMap<>(m).entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }
}
