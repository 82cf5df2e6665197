package io.nexus.gateway.ratelimit;

/**
 * The outcome of one request against its tenant's bucket, with what the {@code RateLimit-*} and {@code Retry-After}
 * headers say. {@code decided} is false when Redis could not be asked and the request passed unlimited (fail open).
 */
public record RateLimitDecision(boolean decided, boolean allowed, long limit, long remaining, long resetSeconds,
        long retryAfterSeconds) {

    private static final RateLimitDecision UNDECIDED = new RateLimitDecision(false, true, 0, 0, 0, 0);

    public static RateLimitDecision undecided() {
        return UNDECIDED;
    }

    /** Allowed: {@code RateLimit-Reset} says when the bucket is full again. */
    static RateLimitDecision allowed(long limit, long remaining, long millisUntilFull) {
        return new RateLimitDecision(true, true, limit, Math.max(0, remaining), ceilSeconds(millisUntilFull), 0);
    }

    /** Refused: the quota that matters is the next token, so RateLimit-Reset says the same seconds as Retry-After. */
    static RateLimitDecision refused(long limit, long millisUntilNextToken) {
        long retryAfter = Math.max(1, ceilSeconds(millisUntilNextToken));
        return new RateLimitDecision(true, false, limit, 0, retryAfter, retryAfter);
    }

    private static long ceilSeconds(long millis) {
        return (Math.max(0, millis) + 999) / 1000;
    }
}
