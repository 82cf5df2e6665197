package io.nexus.marketplace.domain;

import java.util.List;

/**
 * An item's numbers: its reviews (count, average, how many gave each rating 1–5), its installs, and its trending
 * score now ({@link Trending}).
 */
public record ItemStats(int reviews, Double averageRating, List<Integer> distribution, long installs,
        double trending) {
}
