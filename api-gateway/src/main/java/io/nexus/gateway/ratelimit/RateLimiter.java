package io.nexus.gateway.ratelimit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import io.nexus.common.metering.ApiCallMetering;
import io.nexus.common.metrics.ContractMetrics;
import io.nexus.common.metrics.ErrorType;
import io.nexus.gateway.config.GatewayConfig;
import io.nexus.gateway.eventloop.PerEventLoop;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * Per-tenant rate limit: a token bucket in Redis whose capacity is exactly the tenant's {@code apiCallsPerMinute},
 * refilled continuously, decided by one atomic Lua step per request (shared by every gateway replica).
 *
 * <p>Each event loop has its own long-lived, pipelined connection to Redis, opened from that loop, so that a request
 * asks Redis and gets the answer on the thread that handles it (see {@link PerEventLoop}). The decision is plain
 * Vert.x: a timer on the request's own context bounds the wait.
 *
 * <p><b>Fails open.</b> If Redis does not answer within {@code nexus.gateway.rate-limit.redis-timeout}, the request
 * passes unlimited, the failure counts in {@code nexus_errors_total{type="dependency"}} and is logged. The limit
 * protects capacity; refusing every request because the limiter's store is down would turn a Redis outage into a
 * full outage. Redis also gates the gateway's readiness, so a gateway without Redis leaves rotation anyway.
 */
@ApplicationScoped
public class RateLimiter {

    private static final Logger LOG = Logger.getLogger(RateLimiter.class);

    private final Vertx vertx;
    private final PerEventLoop<Link> links;
    private final ContractMetrics metrics;
    private final String script;
    private final String keyPrefix;
    private final long timeoutMs;
    private final Clock clock = Clock.systemUTC();
    private volatile String scriptSha;
    private volatile long lastWarning;

    public RateLimiter(Vertx vertx, ContractMetrics metrics, GatewayConfig config) {
        this.vertx = vertx;
        this.metrics = metrics;
        this.script = load("/lua/token-bucket.lua");
        this.keyPrefix = config.rateLimit().keyPrefix();
        this.timeoutMs = config.rateLimit().redisTimeout().toMillis();
        // The same Redis as the rest of the gateway (REDIS_URL), on clients of the rate limiter's own.
        String hosts = ConfigProvider.getConfig().getValue("quarkus.redis.hosts", String.class);
        RedisOptions options = new RedisOptions().setConnectionString(hosts.split(",")[0].trim())
                .setMaxPoolSize(2)
                .setMaxPoolWaiting(1024);
        this.links = new PerEventLoop<>(() -> new Link(Redis.createClient(vertx, options)));
    }

    /** The decision for one request; never fails (an unanswered or failed step is an undecided, allowed request). */
    public Future<RateLimitDecision> acquire(String tenantId, long limitPerMinute) {
        String bucket = keyPrefix + "ratelimit:" + tenantId;
        String calls = ApiCallMetering.key(keyPrefix, tenantId, clock.millis() / 60_000);
        Promise<RateLimitDecision> result = Promise.promise();
        Link link = links.get();
        long timer = vertx.setTimer(timeoutMs, id -> failOpen(result,
                new TimeoutException("no answer within " + timeoutMs + " ms")));
        evaluate(link, bucket, calls, limitPerMinute).onComplete(answer -> {
            vertx.cancelTimer(timer);
            if (answer.failed()) {
                failOpen(result, answer.cause());
                return;
            }
            RateLimitDecision decision;
            try {
                decision = decision(answer.result());
            } catch (RuntimeException e) {
                failOpen(result, e);
                return;
            }
            result.tryComplete(decision);
        });
        return result.future();
    }

    private void failOpen(Promise<RateLimitDecision> result, Throwable failure) {
        if (result.tryComplete(RateLimitDecision.undecided())) {
            metrics.countError(ErrorType.DEPENDENCY);
            warnAtMostEverySecond(failure);
        }
    }

    private Future<Response> evaluate(Link link, String bucket, String calls, long limit) {
        String sha = scriptSha;
        if (sha == null) {
            return link.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(script)).compose(loaded -> {
                scriptSha = loaded.toString();
                return evaluate(link, bucket, calls, limit);
            });
        }
        return link.send(Request.cmd(Command.EVALSHA).arg(sha).arg(2).arg(bucket).arg(calls).arg(limit))
                .recover(failure -> isNoScript(failure)
                        ? link.send(Request.cmd(Command.EVAL).arg(script).arg(2).arg(bucket).arg(calls).arg(limit))
                        : Future.failedFuture(failure));
    }

    private static boolean isNoScript(Throwable failure) {
        return failure.getMessage() != null && failure.getMessage().startsWith("NOSCRIPT");
    }

    private static RateLimitDecision decision(Response response) {
        List<Long> values = List.of(response.get(0).toLong(), response.get(1).toLong(), response.get(2).toLong(),
                response.get(3).toLong(), response.get(4).toLong());
        return new RateLimitDecision(true, values.get(0) == 1, values.get(1), values.get(2),
                ceilSeconds(values.get(3)), Math.max(1, ceilSeconds(values.get(4))));
    }

    private static long ceilSeconds(long millis) {
        return (millis + 999) / 1000;
    }

    private void warnAtMostEverySecond(Throwable failure) {
        long now = System.currentTimeMillis();
        if (now - lastWarning > 1000) {
            lastWarning = now;
            LOG.warnf("Rate limit not enforced (Redis: %s); failing open", failure.getMessage());
        }
    }

    private static String load(String resource) {
        try (InputStream in = RateLimiter.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void close(@Observes ShutdownEvent event) {
        links.all().forEach(link -> link.client.close());
    }

    /**
     * One event loop's connection: opened on first use, pipelined (every request of the loop shares it; a connection
     * per request costs more than the decision itself), dropped and reopened after a failure.
     */
    private static final class Link {

        private final Redis client;
        private Future<RedisConnection> connection;

        Link(Redis client) {
            this.client = client;
        }

        synchronized Future<Response> send(Request request) {
            Future<RedisConnection> current = connection();
            return current.compose(open -> open.send(request)).onFailure(failure -> {
                if (!isNoScript(failure)) {
                    drop(current); // broken, unreachable or stuck: reconnect on the next request
                }
            });
        }

        private Future<RedisConnection> connection() {
            if (connection == null) {
                Future<RedisConnection> opening = client.connect();
                connection = opening;
                opening.onSuccess(open -> open.exceptionHandler(failure -> drop(opening))
                        .endHandler(ended -> drop(opening)));
            }
            return connection;
        }

        private synchronized void drop(Future<RedisConnection> failed) {
            if (connection == failed) {
                connection = null;
                failed.onSuccess(RedisConnection::close);
            }
        }
    }
}
