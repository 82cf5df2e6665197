package io.nexus.marketplace.repository;

import static io.nexus.marketplace.repository.Timestamps.utc;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.nexus.marketplace.domain.Review;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Reviews ({@code reviews}) and the review numbers of {@code item_stats}. Every write of a review first locks the
 * item's statistics row ({@link #lockStats}) and ends by recounting them ({@link #recountStats}): the writes of one
 * item's reviews happen one after another, and each recount, a statement that starts after the lock was granted,
 * sees every review committed before it. The numbers are exact whatever the concurrency, and a recount repairs any
 * drift instead of carrying it forward as increments would.
 */
@ApplicationScoped
public class ReviewRepository {

    /** Locks the item's statistics row until the transaction ends; false when there is no such item. */
    public Uni<Boolean> lockStats(SqlClient tx, UUID itemId) {
        return tx.preparedQuery("SELECT 1 FROM item_stats WHERE item_id = $1 FOR UPDATE")
                .execute(Tuple.of(itemId)).map(rows -> rows.size() == 1);
    }

    /** Fails with a unique violation ({@code reviews_one_per_tenant}) when the tenant reviewed the item already. */
    public Uni<Void> insert(SqlClient tx, Review review) {
        return tx.preparedQuery("""
                INSERT INTO reviews (id, item_id, tenant_id, rating, comment, verified, created_at, updated_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""")
                .execute(Tuple.from(new Object[] { review.id(), review.itemId(), review.reviewer(),
                        (short) review.rating(), review.comment(), review.verified(), utc(review.createdAt()),
                        utc(review.updatedAt()) }))
                .replaceWithVoid();
    }

    /** Changes the tenant's review of the item; empty when it has none. */
    public Uni<Optional<Review>> update(SqlClient tx, UUID itemId, UUID reviewer, int rating, String comment,
            Instant at) {
        return tx.preparedQuery("UPDATE reviews SET rating = $3, comment = $4, updated_at = $5 "
                + "WHERE item_id = $1 AND tenant_id = $2 RETURNING " + Rows.REVIEW_COLUMNS)
                .execute(Tuple.from(new Object[] { itemId, reviewer, (short) rating, comment, utc(at) }))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(Rows.review(rows.iterator().next())));
    }

    /**
     * Recounts the item's review numbers from its reviews, and adds {@code trendContribution} (the stored form of an
     * event's weight, null for none) to its trending value by log-sum-exp.
     */
    public Uni<Void> recountStats(SqlClient tx, UUID itemId, Double trendContribution, Instant at) {
        return tx.preparedQuery("""
                UPDATE item_stats s SET
                    rating_count = r.count, rating_sum = r.sum,
                    rating_1 = r.r1, rating_2 = r.r2, rating_3 = r.r3, rating_4 = r.r4, rating_5 = r.r5,
                    trend_log = CASE WHEN $2::float8 IS NULL THEN s.trend_log
                                     WHEN s.trend_log IS NULL THEN $2::float8
                                     ELSE greatest(s.trend_log, $2::float8)
                                          + ln(1 + exp(-abs(s.trend_log - $2::float8))) END,
                    updated_at = $3
                FROM (SELECT count(*) AS count, coalesce(sum(rating), 0) AS sum,
                             count(*) FILTER (WHERE rating = 1) AS r1, count(*) FILTER (WHERE rating = 2) AS r2,
                             count(*) FILTER (WHERE rating = 3) AS r3, count(*) FILTER (WHERE rating = 4) AS r4,
                             count(*) FILTER (WHERE rating = 5) AS r5
                      FROM reviews WHERE item_id = $1) r
                WHERE s.item_id = $1""")
                .execute(Tuple.of(itemId, trendContribution, utc(at))).replaceWithVoid();
    }

    /** The item's reviews, newest first, and how many it has. */
    public Uni<ReviewPage> page(SqlClient client, UUID itemId, int limit, int offset) {
        return client.preparedQuery("SELECT " + Rows.REVIEW_COLUMNS + ", count(*) OVER () FROM reviews "
                + "WHERE item_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3")
                .execute(Tuple.of(itemId, limit, offset))
                .chain(rows -> {
                    List<Review> reviews = new ArrayList<>(rows.size());
                    long total = 0;
                    for (Row row : rows) {
                        reviews.add(Rows.review(row));
                        total = row.getLong(8);
                    }
                    if (!reviews.isEmpty() || offset == 0) {
                        return Uni.createFrom().item(new ReviewPage(reviews, total));
                    }
                    // Past the end: the window counted nothing, so count on its own.
                    return client.preparedQuery("SELECT count(*) FROM reviews WHERE item_id = $1")
                            .execute(Tuple.of(itemId))
                            .map(count -> new ReviewPage(reviews, count.iterator().next().getLong(0)));
                });
    }

    public record ReviewPage(List<Review> reviews, long total) {
    }
}
