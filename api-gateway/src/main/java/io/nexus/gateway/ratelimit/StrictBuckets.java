package io.nexus.gateway.ratelimit;

import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeoutException;


import io.nexus.common.metering.ApiCallMetering;
import io.nexus.gateway.config.GatewayConfig;
import io.nexus.gateway.redis.EventLoopRedis;
import io.nexus.gateway.redis.LuaScript;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Response;

/**
 * Mode {@code strict}: one atomic Lua step in Redis per request, exact across every replica. The step goes out on the
 * request's own event loop's pipelined connection ({@link EventLoopRedis}), and the answer comes back on the thread
 * that handles the request; a timer on the request's own context bounds the wait.
 */
@Singleton
public class StrictBuckets {

    private final Vertx vertx;
    private final EventLoopRedis redis;
    private final FailOpen failOpen;
    private final LuaScript tokenBucket;
    private final String keyPrefix;
    private final long timeoutMs;
    private final Clock clock = Clock.systemUTC();

    public StrictBuckets(Vertx vertx, EventLoopRedis redis, FailOpen failOpen, GatewayConfig config) {
        this.vertx = vertx;
        this.redis = redis;
        this.failOpen = failOpen;
        this.tokenBucket = new LuaScript(LuaScript.load("/lua/token-bucket.lua"));
        this.keyPrefix = config.rateLimit().keyPrefix();
        this.timeoutMs = config.rateLimit().redisTimeout().toMillis();
    }

    /** The decision for one request; never fails. The step is on its way to Redis when this returns. */
    public Future<RateLimitDecision> acquire(String tenantId, long limitPerMinute) {
        String bucket = TenantBuckets.bucketKey(keyPrefix, tenantId);
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
            failOpen.record(failure);
        }
    }

    private static RateLimitDecision decision(Response response) {
        boolean allowed = response.get(0).toLong() == 1;
        return allowed
                ? RateLimitDecision.allowed(response.get(1).toLong(), response.get(2).toLong(),
                        response.get(3).toLong())
                : RateLimitDecision.refused(response.get(1).toLong(), response.get(4).toLong());
    }
}
