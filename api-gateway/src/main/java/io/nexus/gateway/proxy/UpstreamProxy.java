package io.nexus.gateway.proxy;

import java.net.ConnectException;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.nexus.common.identity.IdentityTokens;
import io.nexus.common.metrics.ContractMetrics;
import io.nexus.common.metrics.ErrorType;
import io.nexus.common.problem.ProblemException;
import io.nexus.common.problem.ProblemType;
import io.nexus.gateway.config.GatewayConfig;
import io.nexus.gateway.eventloop.PerEventLoop;
import io.nexus.gateway.routing.Route;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;

/**
 * Forwards an admitted request to its service and the answer back, streaming both bodies (never buffering them), over
 * pooled keep-alive connections. Each service has a circuit breaker; idempotent requests without a body are retried
 * once when the connection fails; the idle timeout depends on the route; requests waiting for a connection are
 * bounded. Failures answer 502 (unreachable), 503 with Retry-After (circuit open, or too many waiting) or 504 (timed
 * out), naming the service.
 */
@Singleton
public class UpstreamProxy {

    private static final Logger LOG = Logger.getLogger(UpstreamProxy.class);
    private static final Set<HttpMethod> RETRYABLE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    /** A client per event loop, so that a request and its upstream connection share a thread ({@link PerEventLoop}). */
    private final PerEventLoop<HttpClient> clients;
    private final Map<String, CircuitBreaker> breakers = new HashMap<>();
    private final GatewayConfig config;
    private final ProblemWriter problems;
    private final ContractMetrics metrics;

    public UpstreamProxy(Vertx vertx, GatewayConfig config, ProblemWriter problems, ContractMetrics metrics) {
        HttpClientOptions clientOptions = new HttpClientOptions()
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setConnectTimeout(2000)
                .setDecompressionSupported(false);
        PoolOptions poolOptions = new PoolOptions().setHttp1MaxSize(config.proxy().maxConnectionsPerService())
                .setMaxWaitQueueSize(config.proxy().maxQueuedPerService());
        this.clients = new PerEventLoop<>(() -> vertx.createHttpClient(clientOptions, poolOptions));
        for (String service : config.services().keySet()) {
            breakers.put(service, CircuitBreaker.create(service, vertx, new CircuitBreakerOptions()
                    .setMaxFailures(config.proxy().circuitBreakerFailures())
                    .setResetTimeout(config.proxy().circuitBreakerReset().toMillis())
                    .setTimeout(-1)
                    // No event-bus notifications: nothing consumes them, and they keep rolling statistics of
                    // every call (a synchronized histogram update per request) and publish every 2 s.
                    .setNotificationAddress(null)));
        }
        this.config = config;
        this.problems = problems;
        this.metrics = metrics;
    }

    public void forward(RoutingContext ctx, Route route, String identity, String requestId) {
        HttpServerRequest in = ctx.request();
        String lengthHeader = in.getHeader("Content-Length");
        long maxBody = config.proxy().maxBodyBytes();
        if (lengthHeader != null && parseLength(lengthHeader) > maxBody) {
            in.resume();
            problems.write(ctx.response(), ProblemType.PAYLOAD_TOO_LARGE,
                    "the request body exceeds " + maxBody + " bytes", in.path());
            return;
        }
        boolean hasBody = lengthHeader != null && parseLength(lengthHeader) > 0
                || "chunked".equalsIgnoreCase(in.getHeader("Transfer-Encoding"));
        if (!hasBody) {
            // Nothing to stream: let the request finish reading, or the server would hold back its end.
            in.resume();
        }
        URI base = config.services().get(route.service()).url();
        RequestOptions options = new RequestOptions()
                .setMethod(in.method())
                .setHost(base.getHost())
                .setPort(base.getPort())
                .setURI(in.uri())
                .setIdleTimeout(idleTimeoutMs(route));
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        ProxyHeaders.copyRequestHeaders(in.headers(), headers);
        headers.set(IdentityTokens.HEADER, identity)
                .set("X-Request-Id", requestId)
                .set("X-Forwarded-For", in.remoteAddress() == null ? "" : in.remoteAddress().hostAddress())
                .set("X-Forwarded-Proto", in.scheme() == null ? "http" : in.scheme());
        if (in.authority() != null) {
            headers.set("X-Forwarded-Host", in.authority().toString());
        }
        options.setHeaders(headers);
        CircuitBreaker breaker = breakers.get(route.service());
        attempt(breaker, options, hasBody ? new LimitedBody(in, maxBody) : null, ctx.response(), hasBody ? 1 : 2)
                .onSuccess(response -> relay(response, ctx.response()))
                .onFailure(failure -> answerFailure(ctx, route, failure));
    }

    private Future<HttpClientResponse> attempt(CircuitBreaker breaker, RequestOptions options, LimitedBody body,
            HttpServerResponse out, int attemptsLeft) {
        // The breaker hands the response over asynchronously: pause it first, or its body could be gone by then.
        HttpClient client = clients.get();
        Throwable[] notTheService = new Throwable[1];
        Future<HttpClientResponse> response = breaker.<HttpClientResponse> execute(promise -> client.request(options)
                .compose(request -> send(request, body, out))
                .map(HttpClientResponse::pause)
                .onComplete(answer -> {
                    // A body over the limit is the client's mistake, a full wait queue the gateway's own load: neither
                    // says the service is failing, so neither counts towards opening its circuit.
                    if (answer.failed() && body != null && body.overflowed()) {
                        notTheService[0] = new BodyTooLargeException(body.limit());
                        promise.complete(null);
                    } else if (answer.failed() && answer.cause() instanceof ConnectionPoolTooBusyException busy) {
                        notTheService[0] = busy;
                        promise.complete(null);
                    } else if (answer.failed() && out.closed()) {
                        // The client left and send() reset the call: clients that give up (a closed SSE stream, a
                        // load tool stopping) said nothing about the service, and once counted they opened a healthy
                        // service's circuit for everyone else.
                        notTheService[0] = new ClientGoneException();
                        promise.complete(null);
                    } else {
                        promise.handle(answer);
                    }
                }));
        response = response.compose(answer -> answer == null ? Future.failedFuture(notTheService[0])
                : Future.succeededFuture(answer));
        if (attemptsLeft > 1 && RETRYABLE.contains(options.getMethod())) {
            return response.recover(failure -> failure instanceof ConnectException
                    ? attempt(breaker, options, null, out, attemptsLeft - 1)
                    : Future.failedFuture(failure));
        }
        return response;
    }

    private static Future<HttpClientResponse> send(HttpClientRequest request, LimitedBody body, HttpServerResponse out) {
        // The client gone (an SSE stream closed, a waiting sync start given up): reset the upstream request too, so
        // that the service sees the connection close and can stop the work. Only while the answer is unfinished: for
        // HTTP/2 the handler also runs when a stream closes normally, and resetting a finished exchange would close
        // its pooled connection under the next request.
        out.closeHandler(closed -> {
            if (!out.ended()) {
                request.reset();
            }
        });
        if (body == null) {
            return request.send();
        }
        body.onOverflow(() -> request.reset(0, new BodyTooLargeException(body.limit())));
        return request.send(body);
    }

    private static void relay(HttpClientResponse upstream, HttpServerResponse out) {
        if (out.closed()) {
            // The client left while the answer was on its way: drop the exchange (reset() does nothing when it is
            // already over; piping an answer the reset ended would throw).
            upstream.request().reset();
            return;
        }
        out.setStatusCode(upstream.statusCode());
        ProxyHeaders.copyResponseHeaders(upstream.headers(), out.headers());
        if (upstream.getHeader("Content-Length") == null) {
            out.setChunked(true);
        }
        // Not ended on failure: a body cut short upstream must not reach the client as a complete one, and a client
        // that went away must not have its response ended under chunks still arriving. Either way: reset.
        upstream.pipe().endOnFailure(false).to(out).onFailure(failure -> {
            if (!out.ended()) {
                out.reset();
            }
        });
    }

    private void answerFailure(RoutingContext ctx, Route route, Throwable failure) {
        String service = route.service();
        String path = ctx.request().path();
        if (failure instanceof ClientGoneException || ctx.response().closed()) {
            return; // nobody to answer, and not the service's failure
        }
        if (failure instanceof BodyTooLargeException tooLarge) {
            // The rest of the body is still on its way: answer, then close rather than read it all.
            problems.write(ctx.response(), ProblemType.PAYLOAD_TOO_LARGE, tooLarge.getMessage(), path)
                    .onComplete(written -> ctx.request().connection().close());
            return;
        }
        metrics.countError(ErrorType.DEPENDENCY);
        ProblemException problem;
        if (failure instanceof ConnectionPoolTooBusyException) {
            problem = new ProblemException(ProblemType.SERVICE_UNAVAILABLE, service + " is at capacity (too many "
                    + "requests waiting for it); retry shortly", List.of(), Map.of("Retry-After", "1"));
        } else if (failure instanceof OpenCircuitException) {
            long retryAfter = Math.max(1, config.proxy().circuitBreakerReset().toSeconds());
            problem = new ProblemException(ProblemType.SERVICE_UNAVAILABLE, service + " is unavailable (recent "
                    + "requests to it failed); retry shortly", List.of(),
                    Map.of("Retry-After", Long.toString(retryAfter)));
        } else if (isTimeout(failure)) {
            problem = new ProblemException(ProblemType.GATEWAY_TIMEOUT, service + " did not answer in time");
        } else {
            LOG.warnf("Proxying %s %s to %s failed: %s", ctx.request().method(), path, service, failure.toString());
            problem = new ProblemException(ProblemType.BAD_GATEWAY, service + " could not be reached");
        }
        HttpServerRequest in = ctx.request();
        boolean unread = !in.isEnded() && in.version() != HttpVersion.HTTP_2;
        if (unread && in.getHeader("Content-Length") != null) {
            // A body the service never read (at most the body limit, checked above): drain it, so that the client
            // can finish sending and read the answer, and the connection can carry its next request.
            in.handler(null);
            in.resume();
            unread = false;
        }
        boolean close = unread;
        problems.write(ctx.response(), problem, path).onComplete(written -> {
            // A chunked body of unknown length is not drained: close the connection after the answer instead. (An
            // HTTP/2 stream ends with its answer; the connection stays.)
            if (close) {
                in.connection().close();
            }
        });
    }

    private static boolean isTimeout(Throwable failure) {
        return failure instanceof TimeoutException
                || failure.getClass().getSimpleName().contains("Timeout")
                || failure.getMessage() != null && failure.getMessage().contains("timeout period");
    }

    private long idleTimeoutMs(Route route) {
        return switch (route.timeout()) {
            case DEFAULT -> config.proxy().defaultTimeout().toMillis();
            case EXECUTION_START -> config.proxy().executionTimeout().toMillis();
            case STREAM -> config.proxy().streamIdleTimeout().toMillis();
        };
    }

    private static long parseLength(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    void close(@Observes ShutdownEvent event) {
        clients.all().forEach(HttpClient::close);
    }
}
