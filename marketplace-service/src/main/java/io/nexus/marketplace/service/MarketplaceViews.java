package io.nexus.marketplace.service;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.nexus.marketplace.domain.Item;
import io.nexus.marketplace.domain.ItemVersion;
import io.nexus.marketplace.domain.ItemVersions;
import io.nexus.marketplace.domain.Review;
import io.nexus.marketplace.domain.Trending;
import io.nexus.marketplace.repository.StoredStats;
import io.nexus.marketplace.rest.dto.ItemSummaryView;
import io.nexus.marketplace.rest.dto.ItemView;
import io.nexus.marketplace.rest.dto.ReviewView;
import io.nexus.marketplace.rest.dto.StatsView;
import io.nexus.marketplace.rest.dto.VersionSnapshotView;
import io.nexus.marketplace.rest.dto.VersionView;

/** What the API shows of items, versions, statistics and reviews (docs/api.md §4.6). */
final class MarketplaceViews {

    private MarketplaceViews() {
    }

    static ItemView item(Item item, StatsView stats, List<ItemVersion> versions) {
        return new ItemView(item.id().toString(), item.name(), item.summary(), item.description(), item.categories(),
                item.tags(), item.license(), item.publisher().toString(), item.workflow(), item.latestVersion(), stats,
                ItemVersions.descending(versions).stream().map(MarketplaceViews::version).toList(),
                item.createdAt(), item.updatedAt());
    }

    static ItemSummaryView summary(Item item, StatsView stats, String snippet) {
        return new ItemSummaryView(item.id().toString(), item.name(), item.summary(), item.categories(), item.tags(),
                item.license(), item.publisher().toString(), item.latestVersion(), stats, snippet, item.createdAt(),
                item.updatedAt());
    }

    static VersionView version(ItemVersion version) {
        return new VersionView(version.version(), version.workflowVersion(), version.yanked(),
                version.publishedAt(), version.yankedAt());
    }

    static VersionSnapshotView snapshot(ItemVersion version, ObjectMapper mapper) {
        JsonNode definition;
        try {
            definition = mapper.readTree(version.definition());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored snapshot is always JSON", e);
        }
        return new VersionSnapshotView(version.itemId().toString(), version.version(), version.workflowVersion(),
                version.yanked(), version.publishedAt(), version.yankedAt(), definition);
    }

    static StatsView stats(StoredStats stats, Trending trending, Instant now) {
        Map<String, Integer> ratings = new LinkedHashMap<>();
        for (int rating = 1; rating <= 5; rating++) {
            ratings.put(Integer.toString(rating), stats.distribution().get(rating - 1));
        }
        Double average = stats.averageRating() == null ? null : Math.round(stats.averageRating() * 100) / 100.0;
        return new StatsView(average, stats.reviews(), ratings, stats.installs(),
                trending.scoreAt(stats.trendLog(), now));
    }

    static ReviewView review(Review review) {
        return new ReviewView(review.id().toString(), review.itemId().toString(), review.reviewer().toString(),
                review.rating(), review.comment(), review.verified(), review.createdAt(), review.updatedAt());
    }
}
