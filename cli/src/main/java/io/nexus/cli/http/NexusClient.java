package io.nexus.cli.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.nexus.cli.CliException;
import io.nexus.cli.ExitCodes;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The Nexus REST API over java.net.http. Every request declares the channel `cli` (docs/api.md §2.5) and, when the
 * command was given one, the session. Error answers become {@link CliException}s carrying the exit code.
 */
public final class NexusClient {

    public static final String CHANNEL = "cli";
    /** Longer than the API's longest sync wait (60 s), so the server, not the client, decides when a run gives up. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(75);

    private final String baseUrl;
    private final String apiKey;
    private final String sessionId;
    private final ObjectMapper json;
    private final HttpClient http;

    public NexusClient(String baseUrl, String apiKey, String sessionId, ObjectMapper json) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.apiKey = apiKey;
        this.sessionId = sessionId;
        this.json = json;
        // HTTP/1.1: on plain http the default would send an h2c upgrade with every request for nothing.
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    public String baseUrl() {
        return baseUrl;
    }

    public ApiResponse get(String path) {
        return send(request(path).GET());
    }

    /** GET /health: its 503 carries the same document as its 200 (docs/api.md §1.1), so it is not an error here. */
    public ApiResponse getHealth() {
        HttpResponse<String> response = exchange(request("/health").GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        JsonNode body = parse(response.body());
        if (response.statusCode() != 200 && !body.has("services")) {
            throw Problems.fromAnswer(response.statusCode(), body);
        }
        return new ApiResponse(response.statusCode(), body);
    }

    public ApiResponse delete(String path) {
        return send(request(path).DELETE());
    }

    public ApiResponse post(String path, JsonNode body) {
        return send(withBody(request(path), "POST", body));
    }

    /** A POST that may carry an Idempotency-Key (execution starts, docs/api.md §2.7). */
    public ApiResponse post(String path, JsonNode body, String idempotencyKey) {
        HttpRequest.Builder builder = request(path);
        if (idempotencyKey != null) {
            builder.header("Idempotency-Key", idempotencyKey);
        }
        return send(withBody(builder, "POST", body));
    }

    public ApiResponse put(String path, JsonNode body) {
        return send(withBody(request(path), "PUT", body));
    }

    public ApiResponse patch(String path, JsonNode body) {
        return send(withBody(request(path), "PATCH", body));
    }

    /** Follows a Server-Sent Events stream, handing each event to the consumer, until the server closes it. */
    public void stream(String path, Consumer<ServerSentEvent> consumer) {
        HttpRequest request = request(path).header("Accept", "text/event-stream").GET().build();
        HttpResponse<Stream<String>> response = exchange(request, HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() >= 300) {
            String body = String.join("\n", (Iterable<String>) response.body()::iterator);
            throw Problems.fromAnswer(response.statusCode(), parse(body));
        }
        ServerSentEventParser parser = new ServerSentEventParser(consumer);
        try (Stream<String> lines = response.body()) {
            lines.forEach(parser::line);
        } catch (RuntimeException e) {
            if (e.getCause() instanceof IOException io) {
                throw unreachable(io);
            }
            throw e;
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

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder;
        try {
            builder = HttpRequest.newBuilder(URI.create(baseUrl + path));
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "not a usable URL: " + baseUrl);
        }
        builder.timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json")
                .header("X-Nexus-Channel", CHANNEL);
        if (apiKey != null) {
            builder.header("Authorization", "Bearer " + apiKey);
        }
        if (sessionId != null) {
            builder.header("X-Nexus-Session", sessionId);
        }
        return builder;
    }

    private HttpRequest.Builder withBody(HttpRequest.Builder builder, String method, JsonNode body) {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body == null ? json.createObjectNode() : body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return builder.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofByteArray(bytes));
    }

    private ApiResponse send(HttpRequest.Builder builder) {
        HttpResponse<String> response = exchange(builder.build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        JsonNode body = parse(response.body());
        if (response.statusCode() >= 400) {
            throw Problems.fromAnswer(response.statusCode(), body);
        }
        return new ApiResponse(response.statusCode(), body);
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.SERVER_OR_NETWORK, "interrupted");
        }
    }

    private CliException unreachable(IOException e) {
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
}
