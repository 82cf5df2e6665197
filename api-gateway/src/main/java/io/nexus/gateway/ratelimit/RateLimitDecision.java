package io.nexus.gateway.ratelimit;

/**
 * The outcome of one request against its tenant's bucket, with what the {@code RateLimit-*} and {@code Retry-After}
 * headers say. {@code decided} is false when Redis could not be asked and the request passed unlimited (fail open).
 */
public record RateLimitDecision(boolean decided, boolean allowed, long limit, long remaining, long resetSeconds,
        long retryAfterSeconds) {

    public static RateLimitDecision undecided() {
        return new RateLimitDecision(false, true, 0, 0, 0, 0);
    }
}
