package io.nexus.cli.http;

import io.nexus.cli.CliException;
import io.nexus.cli.ExitCodes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/** PATCH, which HttpURLConnection refuses to send: the one request that goes over java.net.http. */
final class PatchRequest {

    private PatchRequest() {
    }

    static NexusClient.Answer send(URI uri, Map<String, String> headers, byte[] body, int timeoutMs,
                                   Function<IOException, CliException> unreachable) {
        // HTTP/1.1: on plain http the default would send an h2c upgrade for nothing.
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofMillis(timeoutMs))
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = client.send(request.build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new NexusClient.Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw unreachable.apply(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.SERVER_OR_NETWORK, "interrupted");
        }
    }
}
