// Part of the fuzz suite: see Fuzz.java for what it does and how it runs.
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

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
