package io.nexus.marketplace;

import static io.restassured.RestAssured.given;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.nexus.common.http.Channel;
import io.nexus.common.identity.CallerIdentity;
import io.nexus.common.identity.IdentityTokens;
import io.nexus.common.identity.Role;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/**
 * Requests to marketplace-service as the gateway forwards them (a signed identity per tenant and role), and the
 * workflows the fake workflow-service holds for them. Every test works in tenants of its own and with words of its
 * own, so that tests never see each other's items.
 */
final class MarketplaceCalls {

    static final String ITEMS = "/api/v1/marketplace/items";

    private final IdentityTokens tokens;
    private final FakeWorkflowService workflows;

    MarketplaceCalls(IdentityTokens tokens, FakeWorkflowService workflows) {
        this.tokens = tokens;
        this.workflows = workflows;
    }

    static String tenant() {
        return UUID.randomUUID().toString();
    }

    /** A made-up word no dictionary, stemmer or other test has: 10 random lower-case letters. */
    static String word() {
        StringBuilder word = new StringBuilder("q");
        for (int i = 0; i < 9; i++) {
            word.append((char) ('a' + ThreadLocalRandom.current().nextInt(26)));
        }
        return word.toString();
    }

    RequestSpecification as(String tenant, Role role) {
        return given().header(IdentityTokens.HEADER, tokens.sign(new CallerIdentity(tenant, role, "key-" + tenant,
                Channel.API, null, "test-request"))).contentType(ContentType.JSON);
    }

    RequestSpecification developer(String tenant) {
        return as(tenant, Role.DEVELOPER);
    }

    RequestSpecification viewer(String tenant) {
        return as(tenant, Role.VIEWER);
    }

    /** Registers a version of a workflow in the fake workflow-service: a transform, and an http node with secrets. */
    int workflow(String tenant, String name, String marker) {
        return workflows.register(tenant, """
                {"name": "%s", "description": "%s",
                 "nodes": [{"id": "shape", "type": "transform", "config": {"expression": "{'m': '%s'}"}},
                           {"id": "call", "type": "http", "config": {"method": "POST",
                            "url": "'https://api.example.com/hook'",
                            "headers": {"Authorization": "'Bearer sk-live-secret'", "X-Api-Key": "'k-123'"}}}],
                 "edges": [{"from": "shape", "to": "call"}]}
                """.formatted(name, marker, marker));
    }

    /** A publication body with these texts; the other fields valid. */
    static Map<String, Object> item(String workflow, String name, String summary, String description) {
        Map<String, Object> body = new HashMap<>();
        body.put("workflow", workflow);
        body.put("name", name);
        body.put("summary", summary);
        if (description != null) {
            body.put("description", description);
        }
        body.put("categories", List.of("finance"));
        body.put("tags", List.of("billing"));
        body.put("license", "MIT");
        return body;
    }

    /** Registers the workflow and publishes it with {@code body} (201); the item. */
    JsonPath publish(String tenant, Map<String, Object> body) {
        String workflow = (String) body.get("workflow");
        workflow(tenant, workflow, "v1");
        return developer(tenant).body(body).post(ITEMS).then().statusCode(201).extract().jsonPath();
    }

    ValidatableResponse search(String tenant, String query) {
        return viewer(tenant).get(ITEMS + (query.isEmpty() ? "" : "?" + query)).then();
    }

    ValidatableResponse review(String tenant, String itemId, int rating, String comment) {
        Map<String, Object> body = new HashMap<>();
        body.put("rating", rating);
        if (comment != null) {
            body.put("comment", comment);
        }
        return developer(tenant).body(body).post(ITEMS + "/" + itemId + "/reviews").then();
    }
}
