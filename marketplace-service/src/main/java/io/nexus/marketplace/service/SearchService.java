package io.nexus.marketplace.service;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.nexus.marketplace.config.MarketplaceConfig;
import io.nexus.marketplace.domain.SearchQuery;
import io.nexus.marketplace.domain.Trending;
import io.nexus.marketplace.metrics.MarketplaceMetrics;
import io.nexus.marketplace.repository.ItemSearch;
import io.nexus.marketplace.rest.dto.ItemSummaryView;
import io.nexus.marketplace.rest.dto.OffsetPage;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/** Search of the marketplace: ranked full-text with a typo fallback, filters and orders ({@link ItemSearch}). */
@ApplicationScoped
public class SearchService {

    private final Pool pool;
    private final ItemSearch search;
    private final MarketplaceMetrics metrics;
    private final MarketplaceConfig config;
    private final Trending trending;

    public SearchService(Pool pool, ItemSearch search, MarketplaceMetrics metrics, MarketplaceConfig config) {
        this.pool = pool;
        this.search = search;
        this.metrics = metrics;
        this.config = config;
        this.trending = new Trending(config.trendingHalfLife());
    }

    public Uni<OffsetPage<ItemSummaryView>> search(SearchQuery query) {
        metrics.operation("search");
        int typoFallbackBelow = query.plainWords() ? config.search().typoFallbackBelow() : 0;
        return search.search(pool, query, typoFallbackBelow, config.search().typoSimilarity())
                .map(rows -> {
                    Instant now = Clock.now();
                    return new OffsetPage<>(rows.found().stream().map(found -> MarketplaceViews.summary(found.item(),
                            MarketplaceViews.stats(found.stats(), trending, now), found.snippet())).toList(),
                            rows.total());
                });
    }
}
