package io.nexus.marketplace;

import static io.nexus.marketplace.MarketplaceCalls.ITEMS;
import static io.nexus.marketplace.MarketplaceCalls.item;
import static io.nexus.marketplace.MarketplaceCalls.tenant;
import static io.nexus.marketplace.MarketplaceCalls.word;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.nexus.common.identity.Audiences;
import io.nexus.common.identity.IdentityTokens;
import io.nexus.common.identity.InvalidIdentityException;
import io.nexus.common.identity.Role;
import io.nexus.common.testing.PrometheusScrape;
import io.nexus.common.testing.TestIdentities;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Publishing, versions and yanking (docs/api.md §4.6) on real PostgreSQL, with a fake workflow-service. */
@QuarkusTest
@QuarkusTestResource(FakeWorkflowService.class)
class PublishingTest {

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

    @BeforeEach
    void setUp() {
        calls = new MarketplaceCalls(tokens, workflows);
    }

    @Test
    void publishesAnImmutableSnapshotWithoutHeaderSecretsAndAnnouncesIt() {
        String tenant = tenant();
        String workflow = "wf-" + word();
        calls.workflow(tenant, workflow, "first");
        calls.workflow(tenant, workflow, "second");
        Map<String, Object> body = item(workflow, "Invoice reminders", "Sends reminders for unpaid invoices",
                "Every morning.");
        body.put("version", 1);
        body.put("license", "apache-2.0");
        body.put("tags", List.of("billing", "email"));
        JsonPath item = calls.developer(tenant).body(body).post(ITEMS).then()
                .statusCode(201)
                .header("Location", startsWithItems())
                .body("name", equalTo("Invoice reminders"))
                .body("publisher", equalTo(tenant))
                .body("workflow", equalTo(workflow))
                .body("license", equalTo("Apache-2.0"))
                .body("categories", contains("finance"))
                .body("tags", contains("billing", "email"))
                .body("latestVersion", equalTo("1.0.0"))
                .body("versions.version", contains("1.0.0"))
                .body("versions[0].workflowVersion", equalTo(1))
                .body("versions[0].yanked", equalTo(false))
                .body("stats.reviews", equalTo(0))
                .body("stats.rating", nullValue())
                .body("stats.ratings.'5'", equalTo(0))
                .body("stats.installs", equalTo(0))
                .extract().jsonPath();
        String id = item.getString("id");

        calls.viewer(tenant()).get(ITEMS + "/" + id + "/versions/1.0.0").then()
                .statusCode(200)
                .body("workflowVersion", equalTo(1))
                .body("definition.name", equalTo(workflow))
                .body("definition.description", equalTo("first"))
                .body("definition.nodes[1].config.headers.Authorization", equalTo("''"))
                .body("definition.nodes[1].config.headers.X-Api-Key", equalTo("''"))
                .body("definition.nodes[1].config.url", equalTo("'https://api.example.com/hook'"))
                .body(not(containsString("sk-live-secret")));
        List<FakeWorkflowService.Received> fetched = workflows.receivedFor(workflow);
        assertEquals(1, fetched.size());
        assertEquals("/internal/workflows/" + workflow + "/versions/1", fetched.get(0).path());
        // The publisher's own identity, forwarded as the gateway signed it.
        assertEquals(tenant, FakeWorkflowService.tenantOf(fetched.get(0).identity()));
        // Signed anew for workflow-service, which alone accepts it (docs/api.md §2.9).
        IdentityTokens workflowService = new IdentityTokens(TestIdentities.config(
                TestIdentities.currentKeyOr("none"), 60, Audiences.WORKFLOW_SERVICE));
        assertTrue(workflowService.verify(fetched.get(0).identity()).role() == Role.DEVELOPER);
        assertThrows(InvalidIdentityException.class, () -> tokens.verify(fetched.get(0).identity()),
                "a token for workflow-service opens nothing at marketplace-service");
        assertEquals(1L, count("SELECT count(*) FROM outbox_event WHERE event_type = 'nexus.marketplace.published' "
                + "AND aggregate_id = $1 AND tenant_id = $2", id, tenant));

        // Immutable: the database refuses to change a published snapshot.
        Throwable refused = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> pool
                .preparedQuery("UPDATE item_versions SET definition = '{}' WHERE item_id::text = $1")
                .execute(Tuple.of(id)).await().indefinitely());
        assertTrue(refused.getMessage().contains("immutable"), refused.getMessage());
    }

    @Test
    void versionsAreSemanticAndStrictlyIncreasingAndYankingMovesTheLatest() {
        String tenant = tenant();
        String workflow = "wf-" + word();
        String marker = word();
        String id = calls.publish(tenant, item(workflow, "Release " + marker, "Tags releases", null)).getString("id");
        calls.workflow(tenant, workflow, "v2");
        String versions = ITEMS + "/" + id + "/versions";

        calls.developer(tenant).body(Map.of("version", "1.1.0")).post(versions).then()
                .statusCode(201)
                .header("Location", equalTo(versions + "/1.1.0"))
                .body("latestVersion", equalTo("1.1.0"))
                .body("versions.version", contains("1.1.0", "1.0.0"))
                .body("versions[0].workflowVersion", equalTo(2));
        calls.developer(tenant).body(Map.of("version", "1.1.0")).post(versions).then().statusCode(409)
                .body("errors.field", contains("version"));
        calls.developer(tenant).body(Map.of("version", "1.0.5")).post(versions).then().statusCode(409);
        calls.developer(tenant).body(Map.of("version", "1.2")).post(versions).then().statusCode(400)
                .body("errors.field", contains("version"));
        calls.developer(tenant).body(Map.of("workflowVersion", 9, "version", "2.0.0")).post(versions).then()
                .statusCode(422).body("errors.field", contains("workflowVersion"));
        calls.developer(tenant).body(Map.of("workflowVersion", 1, "version", "2.0.0-rc.1")).post(versions).then()
                .statusCode(201)
                .body("latestVersion", equalTo("1.1.0")) // a pre-release is not preferred over a release
                .body("versions.version", contains("2.0.0-rc.1", "1.1.0", "1.0.0"))
                .body("versions[0].workflowVersion", equalTo(1));

        String yankedAt = calls.developer(tenant).post(versions + "/1.1.0/yank").then().statusCode(200)
                .body("version", equalTo("1.1.0")).body("yanked", equalTo(true)).body("yankedAt", notNullValue())
                .extract().path("yankedAt");
        calls.developer(tenant).post(versions + "/1.1.0/yank").then().statusCode(200)
                .body("yankedAt", equalTo(yankedAt));
        calls.viewer(tenant).get(ITEMS + "/" + id).then().body("latestVersion", equalTo("1.0.0"))
                .body("versions.find { it.version == '1.1.0' }.yanked", equalTo(true));
        // Yanked versions count: nothing goes below or to them again.
        calls.developer(tenant).body(Map.of("version", "1.1.1")).post(versions).then().statusCode(409);
        calls.developer(tenant).body(Map.of("version", "2.0.0")).post(versions).then().statusCode(201)
                .body("latestVersion", equalTo("2.0.0"));
        calls.developer(tenant).post(versions + "/9.9.9/yank").then().statusCode(404);

        calls.search(tenant, "q=" + marker).body("total", equalTo(1));
        for (String version : List.of("2.0.0", "2.0.0-rc.1", "1.0.0")) {
            calls.developer(tenant).post(versions + "/" + version + "/yank").then().statusCode(200);
        }
        calls.viewer(tenant).get(ITEMS + "/" + id).then().statusCode(200).body("latestVersion", nullValue());
        calls.search(tenant, "q=" + marker).body("total", equalTo(0));
        calls.viewer(tenant).get(versions + "/1.0.0").then().statusCode(200).body("yanked", equalTo(true));
        assertEquals(3L, count("SELECT count(*) FROM outbox_event WHERE event_type = "
                + "'nexus.marketplace.version.published' AND aggregate_id = $1 AND tenant_id = $2", id, tenant));
    }

    @Test
    void concurrentPublicationsOfOneVersionLetExactlyOneWin() {
        String tenant = tenant();
        String id = calls.publish(tenant, item("wf-" + word(), "Raced " + word(), "raced", null)).getString("id");
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(6);
        try {
            List<java.util.concurrent.CompletableFuture<Integer>> attempts = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) {
                attempts.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> calls.developer(tenant)
                        .body(Map.of("version", "1.1.0")).post(ITEMS + "/" + id + "/versions").then().extract()
                        .statusCode(), clients));
            }
            List<Integer> statuses = attempts.stream().map(java.util.concurrent.CompletableFuture::join).toList();
            assertEquals(1, statuses.stream().filter(status -> status == 201).count(), statuses.toString());
            assertEquals(5, statuses.stream().filter(status -> status == 409).count(), statuses.toString());
        } finally {
            clients.shutdownNow();
        }
        calls.viewer(tenant).get(ITEMS + "/" + id).then().body("versions.version", contains("1.1.0", "1.0.0"));
    }

    @Test
    void onlyThePublishersDevelopersAndAdminsChangeAnItem() {
        String publisher = tenant();
        String other = tenant();
        String workflow = "wf-" + word();
        String id = calls.publish(publisher, item(workflow, "Guarded " + word(), "Only mine", null)).getString("id");
        String versions = ITEMS + "/" + id + "/versions";

        calls.developer(other).body(Map.of("version", "1.1.0")).post(versions).then().statusCode(404);
        calls.developer(other).post(versions + "/1.0.0/yank").then().statusCode(404);
        calls.viewer(publisher).body(Map.of("version", "1.1.0")).post(versions).then().statusCode(403);
        calls.viewer(publisher).post(versions + "/1.0.0/yank").then().statusCode(403);
        calls.viewer(publisher).body(item(workflow, "Another", "x", null)).post(ITEMS).then().statusCode(403);
        calls.as(publisher, Role.ADMIN).body(Map.of("version", "1.1.0")).post(versions).then().statusCode(201);

        calls.viewer(other).get(ITEMS + "/" + id).then().statusCode(200).body("latestVersion", equalTo("1.1.0"));
        RestAssured.given().header(IdentityTokens.HEADER, tokens.sign(TestIdentities.platformAdmin()))
                .get(ITEMS + "/" + id).then().statusCode(403);
        calls.viewer(other).get(ITEMS + "/not-an-id").then().statusCode(404);
        calls.viewer(other).get(ITEMS + "/" + java.util.UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void badInputIsA400NamingEveryFieldAndStoresNothing() {
        String tenant = tenant();
        String workflow = "wf-" + word();
        calls.workflow(tenant, workflow, "never published");
        Map<String, Object> body = new HashMap<>();
        body.put("workflow", "Bad Name");
        body.put("version", 0);
        body.put("name", " ");
        body.put("description", "d".repeat(10_001));
        body.put("categories", List.of("finance", "teleport", "finance"));
        body.put("tags", List.of("Bad Tag", "ok", "ok"));
        body.put("license", "NOT-A-LICENSE");
        body.put("colour", "red");
        calls.developer(tenant).body(body).post(ITEMS).then().statusCode(400)
                .body("type", equalTo("urn:nexus:problem:invalid-request"))
                .body("errors.field", containsInAnyOrder("colour", "workflow", "version", "name", "summary",
                        "description", "categories[1]", "categories[2]", "tags[0]", "tags[2]", "license"));

        Map<String, Object> types = item(workflow, "Typed", "Typed", null);
        types.put("version", "1");
        types.put("categories", "finance");
        types.put("tags", List.of(1));
        types.put("license", 7);
        calls.developer(tenant).body(types).post(ITEMS).then().statusCode(400)
                .body("errors.field", containsInAnyOrder("version", "categories", "tags[0]", "license"));
        Map<String, Object> sizes = item(workflow, "n".repeat(101), "s".repeat(301), null);
        sizes.put("categories", List.of());
        sizes.put("tags", List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"));
        calls.developer(tenant).body(sizes).post(ITEMS).then().statusCode(400)
                .body("errors.field", containsInAnyOrder("name", "summary", "categories", "tags"));
        calls.developer(tenant).body(Map.of()).post(ITEMS).then().statusCode(400)
                .body("errors.field", containsInAnyOrder("workflow", "name", "summary", "categories", "tags",
                        "license"));
        calls.developer(tenant).body("{\"workflow\": ").post(ITEMS).then().statusCode(400);
        calls.developer(tenant).body("[]").post(ITEMS).then().statusCode(400);

        assertEquals(List.of(), workflows.receivedFor(workflow), "nothing was fetched");
        assertEquals(0L, count("SELECT count(*) FROM items WHERE tenant_id::text = $1", tenant));
    }

    @Test
    void anUnknownWorkflowIs422AndAnUnavailableWorkflowServiceIs503() {
        String tenant = tenant();
        String workflow = "wf-" + word();
        calls.developer(tenant).body(item(workflow, "Ghost", "Nothing behind it", null)).post(ITEMS).then()
                .statusCode(422).body("errors.field", contains("workflow"));
        calls.workflow(tenant, workflow, "v1");
        Map<String, Object> pinned = item(workflow, "Ghost", "Nothing behind it", null);
        pinned.put("version", 5);
        calls.developer(tenant).body(pinned).post(ITEMS).then().statusCode(422)
                .body("errors.field", contains("version"));
        // Another tenant's workflow of that name is not the caller's to publish.
        calls.developer(tenant()).body(item(workflow, "Ghost", "Nothing behind it", null)).post(ITEMS).then()
                .statusCode(422);

        String failing = "wf-" + word();
        calls.workflow(tenant, failing, "v1");
        workflows.failWith(failing, 503);
        calls.developer(tenant).body(item(failing, "Later", "Not now", null)).post(ITEMS).then()
                .statusCode(503).body("type", equalTo("urn:nexus:problem:service-unavailable"))
                .body("detail", not(containsString("127.0.0.1")));
        assertEquals(0L, count("SELECT count(*) FROM items WHERE tenant_id::text = $1", tenant));
    }

    @Test
    void aPublishersItemNamesAreUniqueIgnoringCase() {
        String tenant = tenant();
        String name = "Unique " + word();
        calls.publish(tenant, item("wf-" + word(), name, "first", null));
        String second = "wf-" + word();
        calls.workflow(tenant, second, "v1");
        calls.developer(tenant).body(item(second, name.toUpperCase(), "second", null)).post(ITEMS).then()
                .statusCode(409).body("errors.field", contains("name"));
        calls.publish(tenant(), item("wf-" + word(), name, "another tenant's", null));
    }

    @Test
    void publicationsAreCounted() {
        double before = publishCount();
        String tenant = tenant();
        String id = calls.publish(tenant, item("wf-" + word(), "Counted " + word(), "counted", null))
                .getString("id");
        calls.developer(tenant).body(Map.of("version", "1.0.1")).post(ITEMS + "/" + id + "/versions").then()
                .statusCode(201);
        assertEquals(before + 2, publishCount());
    }

    private static double publishCount() {
        return new PrometheusScrape(RestAssured.get("/q/metrics").asString())
                .sum("nexus_marketplace_operations_total", Map.of("operation", "publish")).orElse(0);
    }

    private static org.hamcrest.Matcher<String> startsWithItems() {
        return org.hamcrest.Matchers.startsWith(ITEMS + "/");
    }

    private long count(String sql, Object... params) {
        return pool.preparedQuery(sql).execute(Tuple.from(params)).await().indefinitely().iterator().next()
                .getLong(0);
    }
}
