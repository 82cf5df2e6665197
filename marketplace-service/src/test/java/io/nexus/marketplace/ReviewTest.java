package io.nexus.marketplace;

import static io.nexus.marketplace.MarketplaceCalls.ITEMS;
import static io.nexus.marketplace.MarketplaceCalls.item;
import static io.nexus.marketplace.MarketplaceCalls.tenant;
import static io.nexus.marketplace.MarketplaceCalls.word;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.nexus.common.identity.IdentityTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Reviews (docs/api.md §4.6): one per tenant, PUT changes it, exact statistics under concurrency. */
@QuarkusTest
@QuarkusTestResource(FakeWorkflowService.class)
class ReviewTest {

    private static final ExecutorService CLIENTS = Executors.newFixedThreadPool(16);

    @Inject
    IdentityTokens tokens;
    @Inject
    Pool pool;

    FakeWorkflowService workflows;
    private MarketplaceCalls calls;

    @BeforeAll
    static void logFailures() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @AfterAll
    static void stopClients() {
        CLIENTS.shutdownNow();
    }

    @BeforeEach
    void setUp() {
        calls = new MarketplaceCalls(tokens, workflows);
    }

    @Test
    void aTenantReviewsOnceAndChangesItsReviewWithPut() {
        String item = publish(tenant());
        String reviewer = tenant();
        calls.review(reviewer, item, 4, "Solid").statusCode(201)
                .header("Location", ITEMS + "/" + item + "/reviews")
                .body("rating", equalTo(4)).body("comment", equalTo("Solid")).body("reviewer", equalTo(reviewer))
                .body("itemId", equalTo(item)).body("verified", equalTo(false));
        calls.review(reviewer, item, 5, "Again").statusCode(409);
        calls.developer(reviewer).body(Map.of("rating", 2, "comment", "Worse since 1.1")).put(reviews(item)).then()
                .statusCode(200).body("rating", equalTo(2)).body("comment", equalTo("Worse since 1.1"));
        calls.developer(tenant()).body(Map.of("rating", 2)).put(reviews(item)).then().statusCode(404);

        calls.viewer(tenant()).get(ITEMS + "/" + item).then()
                .body("stats.reviews", equalTo(1)).body("stats.rating", equalTo(2.0f))
                .body("stats.ratings.'2'", equalTo(1)).body("stats.ratings.'4'", equalTo(0));
        calls.viewer(tenant()).get(reviews(item)).then().statusCode(200)
                .body("total", equalTo(1)).body("items[0].comment", equalTo("Worse since 1.1"));
        assertEquals(2L, count("SELECT count(*) FROM outbox_event WHERE event_type = 'nexus.marketplace.reviewed' "
                + "AND aggregate_id = $1", item));
    }

    @Test
    void publishersDoNotReviewTheirOwnItemsAndViewersDoNotReview() {
        String publisher = tenant();
        String item = publish(publisher);
        calls.review(publisher, item, 5, "Mine is great").statusCode(403);
        String reviewer = tenant();
        calls.viewer(reviewer).body(Map.of("rating", 5)).post(reviews(item)).then().statusCode(403);
        calls.review(reviewer, java.util.UUID.randomUUID().toString(), 5, null).statusCode(404);
        calls.review(reviewer, "not-an-item", 5, null).statusCode(404);
        calls.viewer(reviewer).get(reviews(java.util.UUID.randomUUID().toString())).then().statusCode(404);
        calls.viewer(reviewer).get(reviews(item)).then().body("total", equalTo(0));
    }

    @Test
    void concurrentReviewsGiveExactStatistics() {
        String item = publish(tenant());
        int reviewers = 40;
        List<String> tenants = new ArrayList<>();
        int[] ratings = new int[reviewers];
        List<CompletableFuture<Integer>> writes = new ArrayList<>();
        for (int i = 0; i < reviewers; i++) {
            String reviewer = tenant();
            tenants.add(reviewer);
            ratings[i] = i % 5 + 1;
            int rating = ratings[i];
            writes.add(CompletableFuture.supplyAsync(() -> calls.review(reviewer, item, rating, "r" + rating)
                    .extract().statusCode(), CLIENTS));
        }
        writes.forEach(write -> assertEquals(201, write.join()));
        // Half of them change their minds at once.
        writes.clear();
        for (int i = 0; i < reviewers; i += 2) {
            ratings[i] = 5;
            String reviewer = tenants.get(i);
            writes.add(CompletableFuture.supplyAsync(() -> calls.developer(reviewer).body(Map.of("rating", 5))
                    .put(reviews(item)).then().extract().statusCode(), CLIENTS));
        }
        writes.forEach(write -> assertEquals(200, write.join()));

        int[] distribution = new int[6];
        int sum = 0;
        for (int rating : ratings) {
            distribution[rating]++;
            sum += rating;
        }
        JsonPath stats = calls.viewer(tenant()).get(ITEMS + "/" + item).then().statusCode(200).extract()
                .jsonPath();
        assertEquals(reviewers, stats.getInt("stats.reviews"));
        assertEquals(Math.round(sum * 100.0 / reviewers) / 100.0, stats.getDouble("stats.rating"), 1e-9);
        for (int rating = 1; rating <= 5; rating++) {
            assertEquals(distribution[rating], stats.getInt("stats.ratings.'" + rating + "'"), "rating " + rating);
        }
        Row stored = pool.preparedQuery("SELECT rating_count, rating_sum FROM item_stats WHERE item_id::text = $1")
                .execute(Tuple.of(item)).await().indefinitely().iterator().next();
        assertEquals(reviewers, stored.getInteger(0));
        assertEquals(sum, stored.getInteger(1));
    }

    @Test
    void badReviewsAre400AndStoreNothing() {
        String item = publish(tenant());
        String reviewer = tenant();
        for (Object rating : new Object[] { 0, 6, "5", 1.5 }) {
            Map<String, Object> body = new HashMap<>();
            body.put("rating", rating);
            calls.developer(reviewer).body(body).post(reviews(item)).then().statusCode(400)
                    .body("errors.field", contains("rating"));
        }
        calls.developer(reviewer).body(Map.of("rating", 3, "comment", "c".repeat(2001), "stars", 3))
                .post(reviews(item)).then().statusCode(400)
                .body("errors.field", contains("stars", "comment"));
        calls.developer(reviewer).body(Map.of("comment", "no rating")).post(reviews(item)).then().statusCode(400)
                .body("errors.field", contains("rating"));
        calls.developer(reviewer).body(Map.of("rating", 3, "comment", "c".repeat(2000))).post(reviews(item)).then()
                .statusCode(201);
        calls.developer(reviewer).body(Map.of("rating", 9)).put(reviews(item)).then().statusCode(400)
                .body("errors.field", contains("rating"));
        calls.viewer(reviewer).get(reviews(item)).then().body("total", equalTo(1)).body("items[0].rating", equalTo(3));
        calls.viewer(reviewer).get(reviews(item) + "?limit=0&offset=x").then().statusCode(400)
                .body("errors.field", contains("limit", "offset"));
    }

    @Test
    void reviewsAreListedNewestFirstWithTheirTotal() {
        String item = publish(tenant());
        List<String> comments = List.of("first", "second", "third");
        for (String comment : comments) {
            calls.review(tenant(), item, 3, comment).statusCode(201);
        }
        calls.viewer(tenant()).get(reviews(item) + "?limit=2").then().statusCode(200)
                .body("total", equalTo(3)).body("items.comment", contains("third", "second"));
        calls.viewer(tenant()).get(reviews(item) + "?limit=2&offset=2").then()
                .body("total", equalTo(3)).body("items", hasSize(1)).body("items[0].comment", equalTo("first"));
        calls.viewer(tenant()).get(reviews(item) + "?offset=7").then()
                .body("total", equalTo(3)).body("items", hasSize(0));
    }

    private String publish(String publisher) {
        return calls.publish(publisher, item("wf-" + word(), "Reviewed " + word(), "to be reviewed", null))
                .getString("id");
    }

    private static String reviews(String item) {
        return ITEMS + "/" + item + "/reviews";
    }

    private long count(String sql, Object... params) {
        return pool.preparedQuery(sql).execute(Tuple.from(params)).await().indefinitely().iterator().next()
                .getLong(0);
    }
}
