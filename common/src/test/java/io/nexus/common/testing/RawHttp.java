package io.nexus.common.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

import io.restassured.RestAssured;

/**
 * Sends a request line exactly as written, for targets no URI class accepts ({@code ?cursor=%ZZ}): REST Assured and
 * the JDK client refuse them before they reach the service. HTTP/1.1 with {@code Connection: close}, so the answer
 * is whatever the server wrote until it closed.
 */
public final class RawHttp {

    private RawHttp() {
    }

    /** A GET of {@code target} (sent byte for byte) with {@code headers}. */
    public static Answer get(String target, Map<String, String> headers) {
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(30_000);
            StringBuilder request = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\n")
                    .append("Host: localhost\r\nConnection: close\r\n");
            headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
            request.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return Answer.parse(readAll(socket.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        in.transferTo(bytes);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Status, content type (lower case, null when absent) and body of an answer. */
    public record Answer(int status, String contentType, String body) {

        static Answer parse(String raw) {
            int headEnd = raw.indexOf("\r\n\r\n");
            String head = headEnd < 0 ? raw : raw.substring(0, headEnd);
            String body = headEnd < 0 ? "" : raw.substring(headEnd + 4);
            String[] lines = head.split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            String contentType = null;
            boolean chunked = false;
            for (String line : lines) {
                String lower = line.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-type:")) {
                    contentType = lower.substring("content-type:".length()).trim();
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            return new Answer(status, contentType, chunked ? unchunk(body) : body);
        }

        private static String unchunk(String body) {
            StringBuilder out = new StringBuilder();
            int at = 0;
            while (at < body.length()) {
                int lineEnd = body.indexOf("\r\n", at);
                int size = Integer.parseInt(body.substring(at, lineEnd).trim(), 16);
                if (size == 0) {
                    break;
                }
                out.append(body, lineEnd + 2, lineEnd + 2 + size);
                at = lineEnd + 2 + size + 2;
            }
            return out.toString();
        }
    }
}
