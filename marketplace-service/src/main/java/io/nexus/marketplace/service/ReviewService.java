package io.nexus.marketplace.service;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.nexus.common.identity.CallerIdentity;
import io.nexus.common.ids.Ids;
import io.nexus.common.outbox.OutboxWriter;
import io.nexus.common.problem.ProblemException;
import io.nexus.common.problem.ProblemType;
import io.nexus.events.marketplace.ItemReviewed;
import io.nexus.marketplace.config.MarketplaceConfig;
import io.nexus.marketplace.domain.Review;
import io.nexus.marketplace.domain.Trending;
import io.nexus.marketplace.metrics.MarketplaceMetrics;
import io.nexus.marketplace.repository.InstallRepository;
import io.nexus.marketplace.repository.ItemRepository;
import io.nexus.marketplace.repository.ReviewRepository;
import io.nexus.marketplace.rest.dto.OffsetPage;
import io.nexus.marketplace.rest.dto.ReviewView;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Reviews: one per tenant and item (a second is 409; {@code PUT} changes it), never by the item's publisher. Each
 * write locks the item's statistics row, writes the review, recounts the statistics from the reviews and appends
 * {@code nexus.marketplace.reviewed}, in one transaction ({@link ReviewRepository}): the average and the
 * distribution are exact under any number of concurrent reviews. A new review also adds to the item's trending
 * value, weighted by its rating. A review is {@code verified} while its tenant has a completed install of the item.
 */
@ApplicationScoped
public class ReviewService {

    private final Pool pool;
    private final ItemRepository items;
    private final ReviewRepository reviews;
    private final OutboxWriter outbox;
    private final MarketplaceMetrics metrics;
    private final Trending trending;
    private final InstallRepository installs;

    public ReviewService(Pool pool, ItemRepository items, ReviewRepository reviews, OutboxWriter outbox,
            MarketplaceMetrics metrics, MarketplaceConfig config, InstallRepository installs) {
        this.installs = installs;
        this.pool = pool;
        this.items = items;
        this.reviews = reviews;
        this.outbox = outbox;
        this.metrics = metrics;
        this.trending = new Trending(config.trendingHalfLife());
    }

    public Uni<ReviewView> create(CallerIdentity caller, UUID itemId, int rating, String comment) {
        UUID reviewer = UUID.fromString(caller.tenantId());
        Instant now = Clock.now();
        return pool.withTransaction(tx -> reviews.lockStats(tx, itemId)
                .chain(found -> {
                    if (!found) {
                        throw ItemService.noItem(itemId);
                    }
                    return items.find(tx, itemId);
                })
                .invoke(item -> {
                    if (item.orElseThrow().publisher().equals(reviewer)) {
                        throw new ProblemException(ProblemType.FORBIDDEN, "a publisher does not review its own item");
                    }
                })
                // Verified when the tenant has a completed install: an install completing now holds the statistics
                // row locked above until it commits, so this sees it (or it sees this review and verifies it).
                .chain(() -> installs.hasCompleted(tx, itemId, reviewer))
                .map(verified -> new Review(Ids.newUuid(), itemId, reviewer, rating, comment, verified, now, now))
                .call(review -> reviews.insert(tx, review))
                .call(() -> reviews.recountStats(tx, itemId, trending.contribution(rating / 5.0, now), now))
                .call(review -> outbox.append(tx, List.of(reviewed(review)))))
                .onFailure(Failures::isUniqueViolation).transform(failure -> new ProblemException(
                        ProblemType.CONFLICT, "this tenant has reviewed the item already; PUT changes its review"))
                .invoke(() -> metrics.operation("review"))
                .map(MarketplaceViews::review);
    }

    /** Changes the caller's tenant's review of the item; 404 when it has none. */
    public Uni<ReviewView> update(CallerIdentity caller, UUID itemId, int rating, String comment) {
        UUID reviewer = UUID.fromString(caller.tenantId());
        Instant now = Clock.now();
        return pool.withTransaction(tx -> reviews.lockStats(tx, itemId)
                .chain(found -> {
                    if (!found) {
                        throw ItemService.noItem(itemId);
                    }
                    return reviews.update(tx, itemId, reviewer, rating, comment, now);
                })
                .map(updated -> updated.orElseThrow(() -> ProblemException.notFound(
                        "this tenant has not reviewed marketplace item '" + itemId + "'; POST reviews it")))
                .call(review -> reviews.recountStats(tx, itemId, null, now))
                .call(review -> outbox.append(tx, List.of(reviewed(review)))))
                .invoke(() -> metrics.operation("review"))
                .map(MarketplaceViews::review);
    }

    /** The item's reviews, newest first. */
    public Uni<OffsetPage<ReviewView>> list(UUID itemId, int limit, int offset) {
        return items.find(pool, itemId).chain(item -> {
            if (item.isEmpty()) {
                throw ItemService.noItem(itemId);
            }
            return reviews.page(pool, itemId, limit, offset);
        }).map(page -> new OffsetPage<>(page.reviews().stream().map(MarketplaceViews::review).toList(),
                page.total()));
    }

    private static ItemReviewed reviewed(Review review) {
        return new ItemReviewed(review.itemId().toString(), review.id().toString(), review.reviewer().toString(),
                review.rating(), review.updatedAt());
    }
}
