package io.nexus.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import io.restassured.RestAssured;

/**
 * HTTP/1.1 over a plain socket, for what an HTTP client library would not send (raw escapes, chunked bodies cut short,
 * headers never finished) or not let a test observe (the connection closing).
 */
final class RawHttp {

    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private RawHttp() {
    }

    /** A connection to the gateway under test, from {@code localAddress} (any 127.x.y.z works on Linux) if given. */
    static Socket open(String localAddress) throws IOException {
        Socket socket = localAddress == null ? new Socket("127.0.0.1", RestAssured.port)
                : new Socket(InetAddress.getByName("127.0.0.1"), RestAssured.port, InetAddress.getByName(localAddress),
                        0);
        socket.setSoTimeout(20_000); // a gateway bug must fail a test, not hang the build
        return socket;
    }

    static Socket open() throws IOException {
        return open(null);
    }

    static void send(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    /** One GET with the given extra header lines (each ending in CRLF), answered in full. */
    static Response get(String localAddress, String target, String headerLines) throws IOException {
        try (Socket socket = open(localAddress)) {
            send(socket, "GET " + target + " HTTP/1.1\r\nHost: localhost\r\n" + headerLines + "\r\n");
            return read(socket);
        }
    }

    /** Reads one response: status line, headers, and a Content-Length body (or up to the close). */
    static Response read(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        String head = readHead(in);
        String[] lines = head.split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).trim());
        }
        String length = headers.get("content-length");
        byte[] body = length != null ? in.readNBytes(Integer.parseInt(length)) : new byte[0];
        return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after " + head.size() + " bytes: " + head);
            }
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1).trim();
    }

    /** Reads until {@code text} has come by (true) or the connection closed (false). */
    static boolean readUntil(Socket socket, String text) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder seen = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            seen.append((char) b);
            if (seen.indexOf(text) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** Whether the peer closed the connection: a read that ends (or is reset) rather than times out. */
    static boolean closedByPeer(Socket socket) {
        try {
            return socket.getInputStream().read() < 0;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }
}
