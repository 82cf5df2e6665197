package io.nexus.gateway.ratelimit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.nexus.common.metering.ApiCallMetering;
import io.nexus.common.metrics.ContractMetrics;
import io.nexus.common.metrics.ErrorType;
import io.nexus.gateway.config.GatewayConfig;
import io.nexus.gateway.redis.EventLoopRedis;
import io.nexus.gateway.redis.LuaScript;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Response;

/**
 * Per-tenant rate limit: a token bucket in Redis whose capacity is exactly the tenant's {@code apiCallsPerMinute},
 * refilled continuously, decided by one atomic Lua step per request (shared by every gateway replica).
 *
 * <p>The step goes out on the request's own event loop's pipelined connection ({@link EventLoopRedis}), and the
 * answer comes back on the thread that handles the request. The decision is plain Vert.x: a timer on the request's
 * own context bounds the wait.
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
    private final EventLoopRedis redis;
    private final ContractMetrics metrics;
    private final LuaScript tokenBucket;
    private final String keyPrefix;
    private final long timeoutMs;
    private final Clock clock = Clock.systemUTC();
    private volatile long lastWarning;

    public RateLimiter(Vertx vertx, EventLoopRedis redis, ContractMetrics metrics, GatewayConfig config) {
        this.vertx = vertx;
        this.redis = redis;
        this.metrics = metrics;
        this.tokenBucket = new LuaScript(load("/lua/token-bucket.lua"));
        this.keyPrefix = config.rateLimit().keyPrefix();
        this.timeoutMs = config.rateLimit().redisTimeout().toMillis();
    }

    /**
     * The decision for one request; never fails (an unanswered or failed step is an undecided, allowed request). The
     * step is on its way to Redis when this returns, so that a caller may send more on the same round trip.
     */
    public Future<RateLimitDecision> acquire(String tenantId, long limitPerMinute) {
        String bucket = keyPrefix + "ratelimit:" + tenantId;
        String calls = ApiCallMetering.key(keyPrefix, tenantId, clock.millis() / 60_000);
        Promise<RateLimitDecision> result = Promise.promise();
        long timer = vertx.setTimer(timeoutMs, id -> failOpen(result,
                new TimeoutException("no answer within " + timeoutMs + " ms")));
        tokenBucket.run(redis, List.of(bucket, calls), List.of(Long.toString(limitPerMinute))).onComplete(answer -> {
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

    private static RateLimitDecision decision(Response response) {
        List<Long> values = List.of(response.get(0).toLong(), response.get(1).toLong(), response.get(2).toLong(),
                response.get(3).toLong(), response.get(4).toLong());
        boolean allowed = values.get(0) == 1;
        long retryAfter = Math.max(1, ceilSeconds(values.get(4)));
        // Refused, the quota that matters is the next token: RateLimit-Reset says the same seconds as Retry-After.
        // Allowed, it says when the bucket is full again.
        return new RateLimitDecision(true, allowed, values.get(1), values.get(2),
                allowed ? ceilSeconds(values.get(3)) : retryAfter, retryAfter);
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
}
