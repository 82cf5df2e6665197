package io.nexus.workflow.engine.http;

import static io.nexus.workflow.engine.http.Calls.failure;
import static io.nexus.workflow.engine.http.Calls.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.NetServer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Receivers that never answer, trickle or flood: the deadline and the body cap end the call. */
class SafeHttpClientHostileReceiverTest {

    private static final Duration TIMEOUT = Duration.ofMillis(1000);
    private static final long ONE_MIB = OutboundPolicy.DEFAULT_MAX_RESPONSE_BYTES;
    private static Vertx vertx;
    private SafeHttpClient client;
    private NetServer raw;
    private LocalServer server;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        LocalServer.await(vertx.close());
    }

    @BeforeEach
    void start() {
        client = new SafeHttpClient(vertx, OutboundPolicy.defaults().withAllowPrivateTargets(true),
                AddressResolver.system(vertx));
    }

    @AfterEach
    void stop() {
        client.close();
        if (raw != null) {
            LocalServer.await(raw.close());
        }
        if (server != null) {
            server.close();
        }
    }

    private static HttpCallSpec get(String url) {
        return new HttpCallSpec("GET", url, Map.of(), null, TIMEOUT, "exec-1:node-a");
    }

    @Test
    void timesOutOnAReceiverThatAcceptsAndNeverAnswers() {
        AtomicInteger accepted = new AtomicInteger();
        raw = LocalServer.raw(vertx, socket -> {
            accepted.incrementAndGet();
            socket.handler(ignored -> { });
        });

        long started = System.nanoTime();
        HttpCallFailure failure = failure(client.call(get("http://127.0.0.1:" + raw.actualPort() + "/")));
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;

        assertEquals(HttpCallFailure.TIMEOUT, failure.code(), failure.getMessage());
        assertEquals(1, accepted.get());
        assertTrue(elapsedMs >= TIMEOUT.toMillis() - 50 && elapsedMs < TIMEOUT.toMillis() + 1000,
                "failed after " + elapsedMs + " ms");
    }

    @Test
    void cutsAReceiverThatTricklesOneByteEvery200MsAtTheDeadline() {
        raw = LocalServer.raw(vertx, socket -> socket.handler(request -> {
            socket.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n");
            long timer = vertx.setPeriodic(200, id -> socket.write("x"));
            socket.closeHandler(closed -> vertx.cancelTimer(timer));
        }));

        long started = System.nanoTime();
        HttpCallFailure failure = failure(client.call(get("http://127.0.0.1:" + raw.actualPort() + "/")));
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;

        assertEquals(HttpCallFailure.TIMEOUT, failure.code(), failure.getMessage());
        assertTrue(elapsedMs < TIMEOUT.toMillis() + 1000, "failed after " + elapsedMs + " ms");
    }

    @Test
    void cutsSlowHeadersAtTheDeadline() {
        raw = LocalServer.raw(vertx, socket -> socket.handler(request -> {
            socket.write("HTTP/1.1 200 OK\r\n");
            long timer = vertx.setPeriodic(200, id -> socket.write("X-Slow: y\r\n"));
            socket.closeHandler(closed -> vertx.cancelTimer(timer));
        }));

        HttpCallFailure failure = failure(client.call(get("http://127.0.0.1:" + raw.actualPort() + "/")));

        assertEquals(HttpCallFailure.TIMEOUT, failure.code(), failure.getMessage());
    }

    @Test
    void failsWithLimitWhenAStreamedBodyExceedsOneMebibyte() {
        AtomicInteger chunksWritten = new AtomicInteger();
        server = LocalServer.start(vertx).route("/flood", request -> {
            HttpServerResponse response = request.response().setChunked(true);
            Buffer chunk = Buffer.buffer(new byte[64 * 1024]);
            long timer = vertx.setPeriodic(1, id -> {
                // 4 MiB at most; the client should reset long before.
                if (chunksWritten.incrementAndGet() > 64 || response.closed()) {
                    vertx.cancelTimer(id);
                    if (!response.closed() && !response.ended()) {
                        response.end();
                    }
                } else if (!response.writeQueueFull()) {
                    response.write(chunk);
                }
            });
            response.closeHandler(closed -> vertx.cancelTimer(timer));
        });

        HttpCallFailure failure = failure(client.call(new HttpCallSpec("GET", server.url("/flood"), Map.of(), null,
                Duration.ofSeconds(10), null)));

        assertEquals(HttpCallFailure.LIMIT, failure.code(), failure.getMessage());
        assertEquals("response body is larger than " + ONE_MIB + " bytes", failure.getMessage());
    }

    @Test
    void failsWithLimitWhenTheDeclaredLengthExceedsOneMebibyte() {
        raw = LocalServer.raw(vertx, socket -> socket.handler(request -> socket.write(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + (ONE_MIB + 1)
                        + "\r\n\r\n[")));

        HttpCallFailure failure = failure(client.call(get("http://127.0.0.1:" + raw.actualPort() + "/")));

        assertEquals(HttpCallFailure.LIMIT, failure.code(), failure.getMessage());
    }

    @Test
    void acceptsABodyOfExactlyTheCap() {
        server = LocalServer.start(vertx).route("/full", request -> request.response()
                .putHeader("Content-Type", "text/plain").end(Buffer.buffer(new byte[(int) ONE_MIB])));

        HttpCallResult result = result(client.call(new HttpCallSpec("GET", server.url("/full"), Map.of(), null,
                Duration.ofSeconds(10), null)));

        assertEquals(ONE_MIB, result.body().asText().length());
    }

    @Test
    void appliesTheDeadlineToALookupThatNeverAnswers() {
        AddressResolver hanging = host -> io.smallrye.mutiny.Uni.createFrom().nothing();
        SafeHttpClient stuck = new SafeHttpClient(vertx, OutboundPolicy.defaults(), hanging);
        try {
            HttpCallFailure failure = failure(stuck.call(get("http://slow-dns.test/")));

            assertEquals(HttpCallFailure.TIMEOUT, failure.code());
        } finally {
            stuck.close();
        }
    }
}
