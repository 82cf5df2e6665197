package io.nexus.gateway.ratelimit;


import jakarta.inject.Singleton;

import io.nexus.gateway.config.GatewayConfig;
import io.nexus.gateway.config.GatewayConfig.RateLimitMode;
import io.vertx.core.Future;

/**
 * Per-tenant rate limit: a token bucket in Redis whose capacity is exactly the tenant's {@code apiCallsPerMinute},
 * refilled continuously, shared by every gateway replica; the admitted calls are metered per minute for usage.
 * {@code nexus.gateway.rate-limit.mode} chooses how a request is decided: {@link LeasedBuckets} (default) spends
 * tokens a replica leased in small batches, {@link StrictBuckets} asks Redis for each request. Both fail open.
 */
@Singleton
public class RateLimiter {

    private final boolean strict;
    private final StrictBuckets strictBuckets;
    private final LeasedBuckets leasedBuckets;

    public RateLimiter(GatewayConfig config, StrictBuckets strictBuckets, LeasedBuckets leasedBuckets) {
        this.strict = config.rateLimit().mode() == RateLimitMode.STRICT;
        this.strictBuckets = strictBuckets;
        this.leasedBuckets = leasedBuckets;
    }

    /**
     * The decision for one request; never fails (an unanswered or failed step is an undecided, allowed request). If a
     * step must go to Redis, it is on its way when this returns, so that a caller may send more on the same round trip.
     */
    public Future<RateLimitDecision> acquire(String tenantId, long limitPerMinute) {
        return strict ? strictBuckets.acquire(tenantId, limitPerMinute)
                : leasedBuckets.acquire(tenantId, limitPerMinute);
    }
}
