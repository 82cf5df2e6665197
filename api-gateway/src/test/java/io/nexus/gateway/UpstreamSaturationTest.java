package io.nexus.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.nexus.gateway.FakeKeys.Key;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

/**
 * A service that stops answering while requests keep coming: the gateway holds at most its connections plus a bounded
 * queue per service and event loop, and refuses the rest at once with 503 and Retry-After. Those refusals are the
 * gateway's own load, not the service failing, so they do not open the service's circuit.
 */
@QuarkusTest
@TestProfile(UpstreamSaturationTest.TinyPool.class)
class UpstreamSaturationTest {

    /** Four event loops (two per core on two cores) hold at most 4 × (1 + 1) hanging requests. */
    private static final int HANGING = 40;

    public static class TinyPool implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("nexus.gateway.proxy.max-connections-per-service", "1",
                    "nexus.gateway.proxy.max-queued-per-service", "1");
        }
    }

    record Answer(int status, String contentType, String retryAfter, String body, long millis) {
    }

    @TestHTTPResource("/")
    URL gateway;

    @Test
    void requestsBeyondTheConnectionsAndTheQueueAreRefusedAtOnceAndTheCircuitStaysClosed() throws Exception {
        FakeServices.allReady();
        Key key = FakeKeys.register("developer", false, 1_000_000, null);
        Vertx vertx = Vertx.vertx();
        try {
            HttpClient hanging = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
                    .setDefaultPort(gateway.getPort()), new PoolOptions().setHttp1MaxSize(HANGING));
            List<Future<Answer>> answers = new ArrayList<>();
            for (int i = 0; i < HANGING; i++) {
                long sent = System.nanoTime();
                answers.add(hanging.request(new RequestOptions().setMethod(HttpMethod.POST)
                        .setURI("/api/v1/workflows/w/executions")
                        .addHeader("Authorization", "Bearer " + key.key())
                        .addHeader("Content-Type", "application/json")
                        .addHeader("X-Test-Hang", "true"))
                        .compose(request -> request.send("{\"inputs\": {}}"))
                        .compose(response -> response.body().map(body -> new Answer(response.statusCode(),
                                response.getHeader("Content-Type"), response.getHeader("Retry-After"),
                                body.toString(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent)))));
            }
            // The held requests never finish (the service hangs): wait for the refusals only.
            Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> answers.stream().filter(Future::succeeded).count() >= HANGING - 8);
            List<Answer> refusals = answers.stream().filter(Future::succeeded).map(Future::result).toList();
            assertTrue(refusals.size() >= HANGING - 8, "at most 8 requests are held, the rest refused: " + refusals);
            for (Answer refusal : refusals) {
                assertEquals(503, refusal.status(), refusal.toString());
                assertTrue(refusal.contentType().startsWith("application/problem+json"), refusal.toString());
                assertEquals("1", refusal.retryAfter(), refusal.toString());
                assertTrue(new JsonObject(refusal.body()).getString("detail").contains("workflow-service"));
                assertTrue(refusal.millis() < 3_000, "refused at once, not after a wait: " + refusal);
            }
            // Leaving resets the held upstream requests; the service answers the next ones as before.
            hanging.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
                    .setDefaultPort(gateway.getPort()));
            for (int i = 0; i < 5; i++) {
                int status = client.request(HttpMethod.GET, "/api/v1/workflows")
                        .compose(request -> request.putHeader("Authorization", "Bearer " + key.key()).send())
                        .compose(response -> response.body().map(body -> response.statusCode()))
                        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                assertEquals(200, status, "the circuit stayed closed: the refusals were not the service's failures");
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
