package io.nexus.marketplace.repository;

import java.util.List;

/**
 * An item's {@code item_stats} row as stored: {@code trendLog} is the stored (log, epoch-referred) trending value,
 * which the service turns into today's score.
 */
public record StoredStats(int reviews, Double averageRating, List<Integer> distribution, long installs,
        Double trendLog) {
}
