package io.nexus.gateway.ratelimit;

import java.util.ArrayDeque;

import io.vertx.core.Promise;

/**
 * What one event loop of a replica holds for one tenant: spare tokens taken from the tenant's bucket, calls admitted
 * from them that Redis has not been told of yet, and the requests waiting for a step in Redis. Touched only under its
 * {@link LeaseBook}'s lock.
 */
final class TenantLease {

    final String tenantId;
    /** The limit the spare tokens were leased under; a request with another limit drops them. */
    long limit = -1;
    long tokens;
    long leasedAtMs;
    long lastUsedMs;
    /** The bucket's whole tokens at the last answer, for {@code RateLimit-Remaining}. */
    long bucketRemaining;
    /** Until then (the next token of an empty bucket) requests are refused here without asking Redis. */
    long refusedUntilMs;
    /** Tokens to give back to the bucket with the next step. */
    long returned;
    /** Calls admitted from spare tokens and not yet metered in Redis, all within minute {@link #unmeteredMinute}. */
    long unmetered;
    long unmeteredMinute;
    boolean stepInFlight;
    final ArrayDeque<Promise<RateLimitDecision>> waiting = new ArrayDeque<>();

    TenantLease(String tenantId) {
        this.tenantId = tenantId;
    }

    /** Puts the unspent tokens aside to give back. */
    void giveBack() {
        returned += tokens;
        tokens = 0;
    }

    boolean idle() {
        return tokens == 0 && returned == 0 && unmetered == 0 && !stepInFlight && waiting.isEmpty();
    }

    /** What the headers say for a request admitted from a spare token: the bucket as last seen plus what is held. */
    RateLimitDecision localDecision() {
        long remaining = bucketRemaining + tokens;
        long untilFullMs = limit <= 0 ? 0 : Math.max(0, limit - remaining) * 60_000 / limit;
        return RateLimitDecision.allowed(limit, remaining, untilFullMs);
    }
}
