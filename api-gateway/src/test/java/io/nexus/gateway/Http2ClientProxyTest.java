package io.nexus.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.nexus.gateway.FakeKeys.Key;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;

/**
 * Clients that speak HTTP/2 (Java's HttpClient does by default, over h2c). For HTTP/2 the server calls a response's
 * close handler whenever its stream closes, after a normal answer too; the proxy must not take that for a client
 * that left and reset an upstream exchange that already finished — whose pooled connection by then carries another
 * request, which then failed with 502 "Connection was closed" (the overload soak found 50 of them in 2,085).
 */
@QuarkusTest
class Http2ClientProxyTest {

    private static final int REQUESTS = 300;
    private static final int CONCURRENCY = 8;

    @TestHTTPResource("/")
    URL gateway;

    Vertx vertx;

    @BeforeEach
    void start() {
        FakeServices.allReady();
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void manyRequestsOverOneHttp2ConnectionAllSucceedOnReusedUpstreamConnections() throws Exception {
        Key key = FakeKeys.register("developer", false, 1_000_000, null);
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false).setDefaultHost("127.0.0.1").setDefaultPort(gateway.getPort()));
        int connectionsBefore = FakeServices.CONNECTIONS.computeIfAbsent("workflow-service", n -> new AtomicInteger())
                .get();
        Map<Integer, Integer> statuses = new TreeMap<>();
        AtomicInteger http2Answers = new AtomicInteger();
        for (int batch = 0; batch < REQUESTS / CONCURRENCY; batch++) {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < CONCURRENCY; i++) {
                answers.add(client.request(new RequestOptions().setMethod(HttpMethod.POST)
                        .setURI("/api/v1/workflows/w/executions")
                        .addHeader("Authorization", "Bearer " + key.key())
                        .addHeader("Content-Type", "application/json"))
                        .compose(request -> request.send("{\"inputs\": {}}"))
                        .compose(response -> response.body().map(body -> {
                            if (response.version() == HttpVersion.HTTP_2) {
                                http2Answers.incrementAndGet();
                            }
                            return statusOf(response);
                        })));
            }
            for (Future<Integer> answer : answers) {
                statuses.merge(answer.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS), 1,
                        Integer::sum);
            }
        }
        assertEquals(REQUESTS / CONCURRENCY * CONCURRENCY, http2Answers.get(), "the gateway spoke HTTP/2");
        assertEquals(Map.of(200, REQUESTS / CONCURRENCY * CONCURRENCY), statuses, "every answer is the service's");
        int opened = FakeServices.CONNECTIONS.get("workflow-service").get() - connectionsBefore;
        assertTrue(opened <= 4 * CONCURRENCY, "upstream connections are reused, not reset after each answer: "
                + opened + " opened for " + REQUESTS + " requests");
    }

    private static int statusOf(HttpClientResponse response) {
        return response.statusCode();
    }
}
