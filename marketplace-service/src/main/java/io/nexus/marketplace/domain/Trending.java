package io.nexus.marketplace.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * Trending: an item's activity (reviews and completed installs), each event's weight decaying
 * exponentially with the configured half-life. Stored as {@code ln(score)} referred to a fixed epoch: an event of
 * weight w at time t contributes {@code ln(w) + λ(t − epoch)}, and contributions add up by log-sum-exp. Decay
 * multiplies every item's score by the same factor, so this stored number orders items exactly as their decayed
 * scores do at any moment, never needs recomputing, and can be indexed; the score now is
 * {@code exp(stored − λ(now − epoch))}.
 */
public final class Trending {

    static final Instant EPOCH = Instant.parse("2025-01-01T00:00:00Z");

    private final double lambdaPerSecond;

    public Trending(Duration halfLife) {
        this.lambdaPerSecond = Math.log(2) / Math.max(1, halfLife.toSeconds());
    }

    /** What an event of {@code weight} (> 0) at {@code at} adds, in the stored form. */
    public double contribution(double weight, Instant at) {
        return Math.log(weight) + lambdaPerSecond * secondsSinceEpoch(at);
    }

    /** The decayed score at {@code now} of a stored value (null: no activity, 0). */
    public double scoreAt(Double stored, Instant now) {
        return stored == null ? 0 : Math.exp(stored - lambdaPerSecond * secondsSinceEpoch(now));
    }

    private static double secondsSinceEpoch(Instant at) {
        return Duration.between(EPOCH, at).toMillis() / 1000.0;
    }
}
