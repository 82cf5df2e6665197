package io.nexus.gateway.ratelimit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.nexus.common.metering.ApiCallMetering;
import io.nexus.common.metrics.ContractMetrics;
import io.nexus.common.metrics.ErrorType;
import io.nexus.gateway.config.GatewayConfig;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.mutiny.redis.client.Command;

/**
 * Per-tenant rate limit: a token bucket in Redis whose capacity is exactly the tenant's {@code apiCallsPerMinute},
 * refilled continuously, decided by one atomic Lua step per request (shared by every gateway replica).
 *
 * <p><b>Fails open.</b> If Redis does not answer within {@code nexus.gateway.rate-limit.redis-timeout}, the request
 * passes unlimited, the failure counts in {@code nexus_errors_total{type="dependency"}} and is logged. The limit
 * protects capacity; refusing every request because the limiter's store is down would turn a Redis outage into a
 * full outage. Redis also gates the gateway's readiness, so a gateway without Redis leaves rotation anyway.
 */
@ApplicationScoped
public class RateLimiter {

    private static final Logger LOG = Logger.getLogger(RateLimiter.class);

    private final Redis redis;
    /** One long-lived connection, pipelined: a pooled connection per request costs more than the decision itself. */
    private volatile Uni<RedisConnection> connection;
    private final ContractMetrics metrics;
    private final String script;
    private final String keyPrefix;
    private final long timeoutMs;
    private final Clock clock = Clock.systemUTC();
    private volatile String scriptSha;
    private volatile long lastWarning;

    public RateLimiter(Redis redis, ContractMetrics metrics, GatewayConfig config) {
        this.redis = redis;
        this.metrics = metrics;
        this.script = load("/lua/token-bucket.lua");
        this.keyPrefix = config.rateLimit().keyPrefix();
        this.timeoutMs = config.rateLimit().redisTimeout().toMillis();
    }

    public Uni<RateLimitDecision> acquire(String tenantId, long limitPerMinute) {
        String bucket = keyPrefix + "ratelimit:" + tenantId;
        String calls = ApiCallMetering.key(keyPrefix, tenantId, clock.millis() / 60_000);
        return evaluate(bucket, calls, limitPerMinute)
                .map(RateLimiter::decision)
                .ifNoItem().after(java.time.Duration.ofMillis(timeoutMs)).fail()
                .onFailure().recoverWithItem(failure -> {
                    metrics.countError(ErrorType.DEPENDENCY);
                    warnAtMostEverySecond(failure);
                    return RateLimitDecision.undecided();
                });
    }

    private Uni<Response> evaluate(String bucket, String calls, long limit) {
        String sha = scriptSha;
        if (sha == null) {
            return send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(script)).chain(loaded -> {
                scriptSha = loaded.toString();
                return evaluate(bucket, calls, limit);
            });
        }
        return send(Request.cmd(Command.EVALSHA).arg(sha).arg(2).arg(bucket).arg(calls).arg(limit))
                .onFailure(failure -> failure.getMessage() != null && failure.getMessage().startsWith("NOSCRIPT"))
                .recoverWithUni(() -> send(Request.cmd(Command.EVAL).arg(script).arg(2).arg(bucket).arg(calls)
                        .arg(limit)));
    }

    private Uni<Response> send(Request request) {
        return connection().chain(open -> open.send(request))
                .onFailure().invoke(failure -> {
                    if (failure.getMessage() == null || !failure.getMessage().startsWith("NOSCRIPT")) {
                        connection = null; // a broken or unreachable connection: reconnect on the next request
                    }
                });
    }

    private Uni<RedisConnection> connection() {
        Uni<RedisConnection> current = connection;
        if (current == null) {
            current = redis.connect()
                    .invoke(open -> open.exceptionHandler(failure -> connection = null)
                            .endHandler(() -> connection = null))
                    .memoize().indefinitely();
            connection = current;
        }
        return current;
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
}
