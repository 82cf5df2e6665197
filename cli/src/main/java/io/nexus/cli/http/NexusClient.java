package io.nexus.cli.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.nexus.cli.CliException;
import io.nexus.cli.ExitCodes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Consumer;

/**
 * The Nexus REST API. Every request declares the channel `cli` (docs/api.md §2.5) and, when the command was given
 * one, the session. Error answers become {@link CliException}s carrying the exit code.
 *
 * <p>Requests go over HttpURLConnection, not java.net.http: the latter's selector thread sits in native code, and
 * JDK 17 waits 300 ms at exit for such threads, more than the rest of a command's time. HttpURLConnection cannot
 * send PATCH, so that one method (a session merge) uses java.net.http.
 */
public final class NexusClient {

    public static final String CHANNEL = "cli";
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    /** Longer than the API's longest sync wait (60 s), so the server, not the client, decides when a run gives up. */
    private static final int READ_TIMEOUT_MS = 75_000;

    private final String baseUrl;
    private final String apiKey;
    private final String sessionId;
    private final ObjectMapper json;

    public NexusClient(String baseUrl, String apiKey, String sessionId, ObjectMapper json) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.apiKey = apiKey;
        this.sessionId = sessionId;
        this.json = json;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public ApiResponse get(String path) {
        return send("GET", path, null, Map.of());
    }

    /** GET /health: its 503 carries the same document as its 200 (docs/api.md §1.1), so it is not an error here. */
    public ApiResponse getHealth() {
        Answer answer = exchange("GET", "/health", null, Map.of());
        JsonNode body = parse(answer.body());
        if (answer.status() != 200 && !body.has("services")) {
            throw Problems.fromAnswer(answer.status(), body);
        }
        return new ApiResponse(answer.status(), body);
    }

    public ApiResponse delete(String path) {
        return send("DELETE", path, null, Map.of());
    }

    public ApiResponse post(String path, JsonNode body) {
        return send("POST", path, body(body), Map.of());
    }

    /** A POST that may carry an Idempotency-Key (execution starts, docs/api.md §2.7). */
    public ApiResponse post(String path, JsonNode body, String idempotencyKey) {
        return send("POST", path, body(body),
                idempotencyKey == null ? Map.of() : Map.of("Idempotency-Key", idempotencyKey));
    }

    public ApiResponse put(String path, JsonNode body) {
        return send("PUT", path, body(body), Map.of());
    }

    public ApiResponse patch(String path, JsonNode body) {
        Answer answer = PatchRequest.send(URI.create(baseUrl + path), headers(Map.of()), body(body), READ_TIMEOUT_MS,
                this::unreachable);
        return toResponse(answer);
    }

    /** Follows a Server-Sent Events stream, handing each event to the consumer, until the server closes it. */
    public void stream(String path, Consumer<ServerSentEvent> consumer) {
        HttpURLConnection connection = open("GET", path, Map.of("Accept", "text/event-stream"));
        // No read timeout: the server fills silences with keep-alive comments and ends the stream itself.
        connection.setReadTimeout(0);
        try {
            int status = connection.getResponseCode();
            if (status >= 300) {
                throw Problems.fromAnswer(status, parse(readAll(connection.getErrorStream())));
            }
            ServerSentEventParser parser = new ServerSentEventParser(consumer);
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    parser.line(line);
                }
            }
        } catch (IOException e) {
            throw unreachable(e);
        } finally {
            connection.disconnect();
        }
    }

    /** A query string from the parameters that are set, e.g. {@code ?limit=5&status=failed}; "" without any. */
    public static String query(Map<String, Object> parameters) {
        StringJoiner joiner = new StringJoiner("&", "?", "");
        joiner.setEmptyValue("");
        parameters.forEach((name, value) -> {
            if (value != null) {
                joiner.add(name + "=" + URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8));
            }
        });
        return joiner.toString();
    }

    /** A path segment taken from the user (a workflow name, an id), so that it cannot reach another resource. */
    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private ApiResponse send(String method, String path, byte[] body, Map<String, String> extraHeaders) {
        return toResponse(exchange(method, path, body, extraHeaders));
    }

    private ApiResponse toResponse(Answer answer) {
        JsonNode body = parse(answer.body());
        if (answer.status() >= 400) {
            throw Problems.fromAnswer(answer.status(), body);
        }
        return new ApiResponse(answer.status(), body);
    }

    private Answer exchange(String method, String path, byte[] body, Map<String, String> extraHeaders) {
        HttpURLConnection connection = open(method, path, extraHeaders);
        try {
            if (body != null) {
                connection.setDoOutput(true);
                connection.setRequestProperty("Content-Type", "application/json");
                connection.setFixedLengthStreamingMode(body.length);
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(body);
                }
            }
            int status = connection.getResponseCode();
            InputStream stream = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            return new Answer(status, readAll(stream));
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    private HttpURLConnection open(String method, String path, Map<String, String> extraHeaders) {
        URL url;
        try {
            url = URI.create(baseUrl + path).toURL();
        } catch (IllegalArgumentException | MalformedURLException e) {
            throw new CliException(ExitCodes.USAGE, "not a usable URL: " + baseUrl);
        }
        try {
            HttpURLConnection connection = (HttpURLConnection) url.openConnection();
            connection.setRequestMethod(method);
            connection.setConnectTimeout(CONNECT_TIMEOUT_MS);
            connection.setReadTimeout(READ_TIMEOUT_MS);
            connection.setInstanceFollowRedirects(false);
            headers(extraHeaders).forEach(connection::setRequestProperty);
            return connection;
        } catch (ClassCastException e) {
            throw new CliException(ExitCodes.USAGE, "not an http(s) URL: " + baseUrl);
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    private Map<String, String> headers(Map<String, String> extraHeaders) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/json");
        headers.put("X-Nexus-Channel", CHANNEL);
        if (apiKey != null) {
            headers.put("Authorization", "Bearer " + apiKey);
        }
        if (sessionId != null) {
            headers.put("X-Nexus-Session", sessionId);
        }
        headers.putAll(extraHeaders);
        return headers;
    }

    private byte[] body(JsonNode body) {
        try {
            return json.writeValueAsBytes(body == null ? json.createObjectNode() : body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String readAll(InputStream stream) throws IOException {
        if (stream == null) {
            return "";
        }
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    CliException unreachable(IOException e) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new CliException(ExitCodes.SERVER_OR_NETWORK, "cannot reach " + baseUrl + ": " + reason);
    }

    private JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return json.readTree(body);
        } catch (IOException e) {
            // Not JSON (a proxy's HTML page, say): keep it out of the way; the status still decides the exit code.
            return MissingNode.getInstance();
        }
    }

    /** A status and the body as text. */
    record Answer(int status, String body) {
    }
}
