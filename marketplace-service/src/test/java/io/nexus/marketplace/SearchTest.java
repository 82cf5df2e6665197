package io.nexus.marketplace;

import static io.nexus.marketplace.MarketplaceCalls.item;
import static io.nexus.marketplace.MarketplaceCalls.tenant;
import static io.nexus.marketplace.MarketplaceCalls.word;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.nexus.common.identity.IdentityTokens;
import io.nexus.common.testing.PrometheusScrape;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * Search (docs/api.md §4.6): full-text with stemming, phrases, ranking by field weight, the typo fallback, filters,
 * orders and pages, on real PostgreSQL. Each test narrows to its own publisher or its own made-up words.
 */
@QuarkusTest
@QuarkusTestResource(FakeWorkflowService.class)
class SearchTest {

    @Inject
    IdentityTokens tokens;

    FakeWorkflowService workflows;
    private MarketplaceCalls calls;

    @BeforeAll
    static void logFailures() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @BeforeEach
    void setUp() {
        calls = new MarketplaceCalls(tokens, workflows);
    }

    @Test
    void findsAnItemByAStemmedWordAPhraseAndAMisspelling() {
        String tenant = tenant();
        String marker = word();
        String id = publish(tenant, "Invoice reminders " + marker, "Sends reminders for unpaid invoices",
                "Every morning it checks overdue invoices and writes to each customer.");
        String other = publish(tenant, "Vendor ledger", "Lists invoices that are unpaid, by vendor", null);
        String mine = "&publisher=" + tenant;

        calls.search(tenant, "q=reminding" + mine).statusCode(200)
                .body("total", equalTo(1)).body("items[0].id", equalTo(id))
                .body("items[0].snippet", containsString("**reminders**"));
        calls.search(tenant, "q=\"unpaid invoices\"" + mine)
                .body("items[0].id", equalTo(id))
                .body("items[0].snippet", containsString("**invoices**"));
        calls.search(tenant, "q=invoices -reminders" + mine).body("items.id", contains(other));
        // Typos: the trigram fallback (full-text search finds nothing for them).
        calls.search(tenant, "q=remindrs" + mine).body("items[0].id", equalTo(id));
        calls.search(tenant, "q=invoce" + mine).body("items.id", containsInAnyOrder(id, other));
        // A word only the description has ("overdue"), misspelt.
        calls.search(tenant, "q=ovrdue" + mine).body("items.id", contains(id));
        // Across the whole marketplace, by its own word and by that word misspelt.
        calls.search(tenant(), "q=" + marker).body("total", equalTo(1)).body("items[0].id", equalTo(id));
        String misspelt = marker.substring(0, 4) + marker.charAt(5) + marker.charAt(4) + marker.substring(6);
        calls.search(tenant(), "q=" + misspelt).body("items[0].id", equalTo(id));
    }

    @Test
    void aBetterMatchRanksFirstAndTiesGoToTheNewest() {
        String tenant = tenant();
        String marker = word();
        String inDescription = publish(tenant, "Nightly job", "Runs at night", "Copies " + marker + " data.");
        String inName = publish(tenant, "Backup " + marker, "Copies files", null);
        String inSummary = publish(tenant, "Archive", "Stores " + marker + " archives", null);
        calls.search(tenant, "q=" + marker + "&publisher=" + tenant)
                .body("items.id", contains(inName, inSummary, inDescription))
                .body("total", equalTo(3));

        String twin = word();
        String older = publish(tenant, "Mirror " + twin, "Same words", null);
        String newer = publish(tenant, "Copy " + twin, "Same words", null);
        calls.search(tenant, "q=" + twin + "&publisher=" + tenant).body("items.id", contains(newer, older));
    }

    @Test
    void filtersNarrowTheResults() {
        String tenant = tenant();
        String marker = word();
        Map<String, Object> billing = item("wf-" + word(), "Billing " + marker, "Bills", null);
        String finance = calls.publish(tenant, billing).getString("id");
        Map<String, Object> deploy = item("wf-" + word(), "Deploy " + marker, "Ships builds", null);
        deploy.put("categories", List.of("devops", "utilities"));
        deploy.put("tags", List.of("ci", "deploy"));
        deploy.put("license", "Apache-2.0");
        String devops = calls.publish(tenant, deploy).getString("id");
        calls.review(tenant(), finance, 5, null).statusCode(201);
        calls.review(tenant(), devops, 2, null).statusCode(201);
        String base = "q=" + marker + "&publisher=" + tenant;

        calls.search(tenant, base).body("items.id", containsInAnyOrder(finance, devops));
        calls.search(tenant, base + "&category=devops").body("items.id", contains(devops));
        calls.search(tenant, base + "&category=utilities").body("items.id", contains(devops));
        calls.search(tenant, base + "&tag=billing").body("items.id", contains(finance));
        calls.search(tenant, base + "&license=apache-2.0").body("items.id", contains(devops));
        calls.search(tenant, base + "&minRating=4").body("items.id", contains(finance));
        calls.search(tenant, base + "&minRating=1.5").body("items.id", containsInAnyOrder(finance, devops));
        calls.search(tenant, "q=" + marker + "&publisher=" + tenant()).body("total", equalTo(0));
        calls.search(tenant, "publisher=" + tenant + "&tag=deploy").body("items.id", contains(devops));
    }

    @Test
    void ordersByRatingInstallsNewestAndTrending() {
        String tenant = tenant();
        String marker = word();
        String first = publish(tenant, "Alpha " + marker, "one", null);
        String second = publish(tenant, "Beta " + marker, "two", null);
        String third = publish(tenant, "Gamma " + marker, "three", null);
        calls.review(tenant(), first, 5, null).statusCode(201);
        calls.review(tenant(), second, 3, null).statusCode(201);
        String base = "publisher=" + tenant + "&sort=";

        calls.search(tenant, base + "rating").body("items.id", contains(first, second, third))
                .body("items[0].stats.rating", equalTo(5.0f)).body("items[2].stats.rating", nullValue());
        calls.search(tenant, base + "newest").body("items.id", contains(third, second, first));
        calls.search(tenant, base + "installs").body("items.id", contains(third, second, first));
        calls.search(tenant, base + "trending").body("items.id", contains(first, second, third))
                .body("items[0].stats.trending", greaterThan(0f)).body("items[2].stats.trending", equalTo(0f));
        calls.search(tenant, "q=" + marker + "&" + base + "relevance").body("items.id", contains(third, second, first));
    }

    @Test
    void pagesCarryTheTotal() {
        String tenant = tenant();
        for (int i = 0; i < 3; i++) {
            publish(tenant, "Paged " + word(), "page " + i, null);
        }
        String base = "publisher=" + tenant + "&sort=newest";
        calls.search(tenant, base + "&limit=2").body("items", hasSize(2)).body("total", equalTo(3));
        calls.search(tenant, base + "&limit=2&offset=2").body("items", hasSize(1)).body("total", equalTo(3))
                .body("items[0].summary", equalTo("page 0"));
        calls.search(tenant, base + "&offset=5").body("items", hasSize(0)).body("total", equalTo(3));
    }

    @Test
    void aTenantsUnpublishedWorkflowsNeverAppear() {
        String tenant = tenant();
        String marker = word();
        String unpublished = "wf-" + marker;
        calls.workflow(tenant, unpublished, marker + " secret plans");
        calls.search(tenant, "q=" + marker).body("total", equalTo(0));
        calls.search(tenant, "publisher=" + tenant).body("total", equalTo(0));
        String published = publish(tenant, "Public " + word(), "shared", null);
        calls.search(tenant, "publisher=" + tenant).body("items.id", contains(published));
        calls.search(tenant, "q=" + marker).body("total", equalTo(0));
        calls.search(tenant, "q=" + unpublished).body("total", equalTo(0));
    }

    @Test
    void badSearchParametersAre400NamingEachOne() {
        calls.search(tenant(), "sort=popular&limit=0&offset=-1&minRating=6&category=teleport&publisher=x"
                + "&license=nope&tag=Bad&q=" + "x".repeat(201)).statusCode(400)
                .body("errors.field", containsInAnyOrder("sort", "limit", "offset", "minRating", "category",
                        "publisher", "license", "tag", "q"));
        calls.search(tenant(), "limit=101").statusCode(400).body("errors.field", contains("limit"));
        calls.search(tenant(), "minRating=abc").statusCode(400).body("errors.field", contains("minRating"));
    }

    @Test
    void searchesAreCounted() {
        double before = searches();
        calls.search(tenant(), "q=" + word()).statusCode(200);
        calls.search(tenant(), "").statusCode(200);
        assertEquals(before + 2, searches());
    }

    private String publish(String tenant, String name, String summary, String description) {
        return calls.publish(tenant, item("wf-" + word(), name, summary, description)).getString("id");
    }

    private static double searches() {
        return new PrometheusScrape(RestAssured.get("/q/metrics").asString())
                .sum("nexus_marketplace_operations_total", Map.of("operation", "search")).orElse(0);
    }
}
