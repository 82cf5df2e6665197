package io.nexus.marketplace;

import static io.nexus.marketplace.MarketplaceCalls.ITEMS;
import static io.nexus.marketplace.MarketplaceCalls.item;
import static io.nexus.marketplace.MarketplaceCalls.tenant;
import static io.nexus.marketplace.MarketplaceCalls.word;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.nexus.common.identity.IdentityTokens;
import io.nexus.common.testing.IdempotencyChecks;
import io.nexus.common.testing.IdempotencyChecks.Target;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** {@code Idempotency-Key} on the marketplace's creating POSTs (docs/api.md §2.7). */
@QuarkusTest
@QuarkusTestResource(FakeWorkflowService.class)
class MarketplaceIdempotencyTest {

    private static final ObjectMapper JSON = new ObjectMapper();

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
    void publishingAnItemHonoursTheKey() {
        IdempotencyChecks.verify(publications(tenant()), publications(tenant()));
    }

    @Test
    void publishingAVersionHonoursTheKey() {
        IdempotencyChecks.verify(versions(tenant()), versions(tenant()));
    }

    @Test
    void reviewingHonoursTheKey() {
        String item = published(tenant());
        IdempotencyChecks.verify(reviews(tenant(), item), reviews(tenant(), item));
    }

    @Test
    void installingHonoursTheKey() {
        String item = published(tenant());
        IdempotencyChecks.verify(installs(tenant(), item), installs(tenant(), item));
    }

    private Target publications(String tenant) {
        String workflow = "wf-" + word();
        calls.workflow(tenant, workflow, "v1");
        String name = "Idempotent " + word();
        return new Target(() -> calls.developer(tenant), ITEMS, json(item(workflow, name, "once", null)),
                json(item(workflow, name, "twice", null)), json(item(workflow, name + " p", "parallel", null)),
                () -> count("SELECT count(*) FROM items WHERE tenant_id = $1::uuid", tenant));
    }

    private Target versions(String tenant) {
        String item = published(tenant);
        return new Target(() -> calls.developer(tenant), ITEMS + "/" + item + "/versions",
                "{\"version\": \"1.1.0\"}", "{\"version\": \"1.5.0\"}", "{\"version\": \"1.2.0\"}",
                () -> count("SELECT count(*) FROM item_versions WHERE item_id = $1::uuid", item));
    }

    private Target reviews(String tenant, String item) {
        return new Target(() -> calls.developer(tenant), ITEMS + "/" + item + "/reviews",
                "{\"rating\": 4, \"comment\": \"good\"}", "{\"rating\": 1}", null,
                () -> count("SELECT count(*) FROM reviews WHERE tenant_id = $1::uuid", tenant));
    }

    private Target installs(String tenant, String item) {
        return new Target(() -> calls.developer(tenant), ITEMS + "/" + item + "/install",
                "{\"as\": \"copy-" + word() + "\"}", "{\"as\": \"other-" + word() + "\"}", null,
                () -> count("SELECT count(*) FROM installs WHERE tenant_id = $1::uuid", tenant));
    }

    private String published(String tenant) {
        return calls.publish(tenant, item("wf-" + word(), "Item " + word(), "to use", null)).getString("id");
    }

    private long count(String sql, String parameter) {
        return pool.preparedQuery(sql).execute(Tuple.of(parameter)).await().atMost(Duration.ofSeconds(5))
                .iterator().next().getLong(0);
    }

    private static String json(Map<String, Object> body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
