package io.nexus.tenant;

import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.nexus.common.identity.CallerIdentity;
import io.nexus.common.identity.IdentityTokens;
import io.nexus.common.identity.Role;
import io.nexus.common.testing.CallerSpecs;
import io.nexus.common.testing.TestIdentities;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

@QuarkusTest
class TenantApiTest {

    private static final CallerIdentity ADMIN = TestIdentities.platformAdmin();

    @Inject
    IdentityTokens tokens;
    @Inject
    Pool pool;

    private CallerSpecs callers;

    @BeforeEach
    void setUp() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        callers = new CallerSpecs(tokens);
    }

    @Test
    void createsATenantWithTheStandardPlanAndAnnouncesIt() {
        String name = unique("acme");
        String id = callers.as(ADMIN).body("{\"name\": \"" + name + "\"}").post("/api/v1/tenants").then()
                .statusCode(201)
                .header("Location", startsWith("/api/v1/tenants/"))
                .body("name", equalTo(name))
                .body("status", equalTo("active"))
                .body("plan", equalTo("standard"))
                .body("quotas.workflows", equalTo(1000))
                .body("quotas.executionsPerDay", equalTo(100000))
                .body("quotas.apiCallsPerMinute", equalTo(6000))
                .body("quotas.concurrentSessions", equalTo(1000))
                .body("quotas.concurrentExecutions", equalTo(100))
                .body("createdAt", notNullValue())
                .extract().path("id");
        assertEquals(36, id.length());
        assertEquals(List.of("nexus.tenant.created"), eventTypes(id));
    }

    @Test
    void namesAreUniqueIgnoringCase() {
        String name = unique("Globex");
        createTenant(name);
        callers.as(ADMIN).body("{\"name\": \"" + name.toLowerCase() + "\"}").post("/api/v1/tenants").then()
                .statusCode(409).body("type", equalTo("urn:nexus:problem:conflict"));
    }

    @Test
    void planAndOverridesGiveTheEffectiveQuotas() {
        callers.as(ADMIN).body("{\"name\": \"" + unique("free") + "\", \"plan\": \"free\", \"quotas\": "
                + "{\"apiCallsPerMinute\": 5}}").post("/api/v1/tenants").then()
                .statusCode(201)
                .body("plan", equalTo("free"))
                .body("quotas.workflows", equalTo(20))
                .body("quotas.apiCallsPerMinute", equalTo(5));
    }

    @Test
    void badInputNamesEveryBadFieldAndStoresNothing() {
        long before = count();
        callers.as(ADMIN).body("""
                {"name": "%s", "plan": 7, "quotas": {"workflows": -1, "apiCallsPerMinute": "many", "teleports": 1},
                 "owner": "me"}""".formatted("x".repeat(101)))
                .post("/api/v1/tenants").then()
                .statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("errors.field", containsInAnyOrder("name", "plan", "quotas.workflows",
                        "quotas.apiCallsPerMinute", "quotas.teleports", "owner"))
                .body("errors.find { it.field == 'plan' }.message", containsString("got number 7"))
                .body("errors.find { it.field == 'quotas.workflows' }.message", containsString("got -1"));
        callers.as(ADMIN).body("{\"name\": \"  \", \"plan\": \"gold\"}").post("/api/v1/tenants").then()
                .statusCode(400)
                .body("errors.field", containsInAnyOrder("name", "plan"))
                .body("errors.find { it.field == 'plan' }.message", containsString("enterprise, free, standard"));
        callers.as(ADMIN).body("{}").post("/api/v1/tenants").then()
                .statusCode(400).body("errors.field", containsInAnyOrder("name"));
        callers.as(ADMIN).body("[]").post("/api/v1/tenants").then().statusCode(400);
        assertEquals(before, count(), "nothing stored");
    }

    @Test
    void onlyThePlatformAdminCreatesAndListsTenants() {
        String id = createTenant(unique("initech"));
        for (Role role : List.of(Role.ADMIN, Role.DEVELOPER, Role.VIEWER)) {
            CallerIdentity key = TestIdentities.of(role, id);
            callers.as(key).body("{\"name\": \"" + unique("x") + "\"}").post("/api/v1/tenants").then().statusCode(403);
            callers.as(key).get("/api/v1/tenants").then().statusCode(403);
        }
    }

    @Test
    void aTenantsKeysReadTheirOwnTenantOnlyAndForeignIdsAre404() {
        String own = createTenant(unique("umbrella"));
        String other = createTenant(unique("cyberdyne"));
        for (Role role : List.of(Role.ADMIN, Role.DEVELOPER, Role.VIEWER)) {
            CallerIdentity key = TestIdentities.of(role, own);
            callers.as(key).get("/api/v1/tenants/" + own).then().statusCode(200).body("id", equalTo(own));
            callers.as(key).get("/api/v1/tenant").then().statusCode(200).body("id", equalTo(own))
                    .body("quotas", notNullValue()).body("caller.role", equalTo(role.wire()))
                    .body("caller.keyId", equalTo(key.keyId()));
            String foreign = callers.as(key).get("/api/v1/tenants/" + other).then().statusCode(404).extract().asString();
            String missing = callers.as(key).get("/api/v1/tenants/" + UUID.randomUUID()).then().statusCode(404)
                    .extract().asString();
            assertEquals(missing.replaceAll("[0-9a-f-]{36}", "ID"), foreign.replaceAll("[0-9a-f-]{36}", "ID"),
                    "a foreign tenant looks exactly like a missing one");
        }
        callers.as(ADMIN).get("/api/v1/tenants/not-a-uuid").then().statusCode(404);
        callers.as(ADMIN).get("/api/v1/tenant").then().statusCode(403);
    }

    @Test
    void listsInPagesWithACursor() {
        for (int i = 0; i < 3; i++) {
            createTenant(unique("page"));
        }
        String cursor = callers.as(ADMIN).queryParam("limit", 2).get("/api/v1/tenants").then()
                .statusCode(200).body("items", hasSize(2)).body("nextCursor", notNullValue())
                .extract().path("nextCursor");
        List<String> first = callers.as(ADMIN).queryParam("limit", 2).get("/api/v1/tenants").then()
                .extract().path("items.id");
        List<String> second = callers.as(ADMIN).queryParam("limit", 2).queryParam("cursor", cursor)
                .get("/api/v1/tenants").then().statusCode(200).extract().path("items.id");
        org.junit.jupiter.api.Assertions.assertTrue(second.stream().noneMatch(first::contains), "pages do not overlap");
        callers.as(ADMIN).queryParam("limit", 1000).queryParam("cursor", "%%%").get("/api/v1/tenants").then()
                .statusCode(400).body("errors.field", containsInAnyOrder("limit", "cursor"));
    }

    @Test
    void patchRenamesSuspendsAndOverridesOrResetsQuotas() {
        String id = createTenant(unique("hooli"));
        String renamed = unique("hooli-xyz");
        callers.as(ADMIN).contentType("application/merge-patch+json; charset=UTF-8")
                .body("{\"name\": \"" + renamed + "\", \"status\": \"suspended\", "
                        + "\"quotas\": {\"workflows\": 5, \"concurrentExecutions\": 2}}")
                .patch("/api/v1/tenants/" + id).then()
                .statusCode(200)
                .body("name", equalTo(renamed))
                .body("status", equalTo("suspended"))
                .body("quotas.workflows", equalTo(5))
                .body("quotas.concurrentExecutions", equalTo(2));
        callers.as(ADMIN).body("{\"quotas\": {\"workflows\": null}}").patch("/api/v1/tenants/" + id).then()
                .statusCode(200)
                .body("quotas.workflows", equalTo(1000))
                .body("quotas.concurrentExecutions", equalTo(2));
        callers.as(ADMIN).body("{\"quotas\": null, \"status\": \"active\"}").patch("/api/v1/tenants/" + id).then()
                .statusCode(200)
                .body("status", equalTo("active"))
                .body("quotas.concurrentExecutions", equalTo(100));
        assertEquals(List.of("nexus.tenant.created", "nexus.tenant.updated", "nexus.tenant.suspended",
                "nexus.tenant.updated", "nexus.tenant.updated"), eventTypes(id));
    }

    @Test
    void aBadPatchChangesNothing() {
        String name = unique("stark");
        String id = createTenant(name);
        callers.as(ADMIN).body("{\"name\": null, \"status\": \"paused\", \"quotas\": {\"workflows\": -3}, \"plan\": 1}")
                .patch("/api/v1/tenants/" + id).then()
                .statusCode(400)
                .body("errors.field", containsInAnyOrder("name", "status", "quotas.workflows", "plan"));
        callers.as(ADMIN).get("/api/v1/tenants/" + id).then().body("name", equalTo(name))
                .body("status", equalTo("active"));
        assertEquals(List.of("nexus.tenant.created"), eventTypes(id));
    }

    @Test
    void onlyThePlatformAdminChangesOrDeletesATenant() {
        String id = createTenant(unique("wayne"));
        String other = createTenant(unique("oscorp"));
        CallerIdentity ownAdmin = TestIdentities.of(Role.ADMIN, id);
        callers.as(ownAdmin).body("{\"name\": \"mine\"}").patch("/api/v1/tenants/" + id).then().statusCode(403);
        callers.as(ownAdmin).delete("/api/v1/tenants/" + id).then().statusCode(403);
        callers.as(ownAdmin).body("{\"name\": \"theirs\"}").patch("/api/v1/tenants/" + other).then().statusCode(404);
        callers.as(ownAdmin).delete("/api/v1/tenants/" + other).then().statusCode(404);
    }

    @Test
    void deletingATenantHidesItAndAnnouncesIt() {
        String name = unique("tyrell");
        String id = createTenant(name);
        callers.as(ADMIN).delete("/api/v1/tenants/" + id).then().statusCode(204);
        callers.as(ADMIN).get("/api/v1/tenants/" + id).then().statusCode(404);
        callers.as(ADMIN).delete("/api/v1/tenants/" + id).then().statusCode(404);
        createTenant(name); // the name is free again
        assertEquals(List.of("nexus.tenant.created", "nexus.tenant.deleted"), eventTypes(id));
    }

    private String createTenant(String name) {
        return callers.as(ADMIN).body("{\"name\": \"" + name + "\"}").post("/api/v1/tenants").then()
                .statusCode(201).extract().path("id");
    }

    private List<String> eventTypes(String tenantId) {
        return pool.preparedQuery("SELECT event_type FROM outbox_event WHERE tenant_id = $1 ORDER BY position")
                .execute(Tuple.of(tenantId)).await().atMost(Duration.ofSeconds(5)).stream()
                .map(row -> row.getString("event_type")).toList();
    }

    private long count() {
        return pool.query("SELECT count(*) FROM tenant").execute().await().atMost(Duration.ofSeconds(5))
                .iterator().next().getLong(0);
    }

    static String unique(String base) {
        return base + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
