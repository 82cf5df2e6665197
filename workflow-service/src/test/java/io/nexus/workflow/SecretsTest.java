package io.nexus.workflow;

import static io.nexus.workflow.WorkflowFixtures.developer;
import static io.nexus.workflow.WorkflowFixtures.newTenant;
import static io.nexus.workflow.WorkflowFixtures.register;
import static io.nexus.workflow.WorkflowFixtures.unique;
import static io.nexus.workflow.WorkflowFixtures.viewer;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.nexus.common.identity.IdentityTokens;
import io.nexus.common.identity.Role;
import io.nexus.common.testing.CallerSpecs;
import io.nexus.common.testing.TestIdentities;
import io.nexus.workflow.config.SecretsConfig;
import io.nexus.workflow.repository.SecretRepository;
import io.nexus.workflow.secrets.SecretCipher;
import io.nexus.workflow.secrets.SecretKeyRing;
import io.nexus.workflow.secrets.SecretReencryption;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Tenant secrets (docs/api.md §4.8) on real PostgreSQL: write-only, sealed at rest, tenant-scoped, and read by http
 * nodes as {@code secrets.NAME} without their values reaching steps, outputs, errors or events.
 */
@QuarkusTest
class SecretsTest {

    private static Vertx vertx;
    private static int port;
    /** Authorization headers the receiver saw, by request path. */
    private static final Map<String, String> RECEIVED = new ConcurrentHashMap<>();

    @Inject
    IdentityTokens tokens;
    @Inject
    Pool pool;
    @Inject
    SecretRepository repository;
    @Inject
    SecretReencryption reencryption;
    @Inject
    SecretsConfig config;

    private CallerSpecs callers;

    /** Echoes the Authorization header it received, in a header and in its JSON body, as careless receivers do. */
    @BeforeAll
    static void startReceiver() throws Exception {
        vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer().requestHandler(request -> {
            String authorization = String.valueOf(request.getHeader("Authorization"));
            RECEIVED.put(request.path(), authorization);
            request.response().putHeader("Content-Type", "application/json").putHeader("X-Echo", authorization)
                    .end("{\"youSent\": \"" + authorization + "\", \"path\": \"" + request.path() + "\"}");
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        port = server.actualPort();
    }

    @AfterAll
    static void stopReceiver() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @BeforeEach
    void setUp() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        callers = new CallerSpecs(tokens);
    }

    @Test
    void aSecretIsWrittenListedByNameReplacedAndDeletedButNeverReturned() {
        String tenant = newTenant();
        String value = "sk-live-" + UUID.randomUUID();

        String created = callers.as(developer(tenant)).body("{\"value\": \"" + value + "\"}")
                .put("/api/v1/secrets/API_TOKEN").then().statusCode(201)
                .header("Location", "/api/v1/secrets/API_TOKEN")
                .body("name", equalTo("API_TOKEN")).body("createdAt", notNullValue())
                .extract().asString();
        callers.as(TestIdentities.of(Role.ADMIN, tenant)).body("{\"value\": \"" + value + "-2\"}")
                .put("/api/v1/secrets/API_TOKEN").then().statusCode(200).body("name", equalTo("API_TOKEN"));
        callers.as(developer(tenant)).body("{\"value\": \"x\"}").put("/api/v1/secrets/other").then().statusCode(201);
        String listed = callers.as(viewer(tenant)).get("/api/v1/secrets").then().statusCode(200)
                .body("items.name", equalTo(List.of("API_TOKEN", "other")))
                .body("items[0].value", nullValue())
                .body("nextCursor", nullValue())
                .extract().asString();
        callers.as(viewer(tenant)).queryParam("limit", 1).get("/api/v1/secrets").then().statusCode(200)
                .body("items.name", equalTo(List.of("API_TOKEN"))).body("nextCursor", notNullValue());

        assertFalse(created.contains(value) || listed.contains(value), "the API never answers a value");
        assertEquals(0L, count("SELECT count(*) FROM tenant_secrets WHERE tenant_id = $1::uuid "
                + "AND (encode(ciphertext, 'escape') LIKE '%sk-live-%' OR key_id <> 'dev-test-1')", tenant),
                "only ciphertext is stored, sealed with the active key");
        assertEquals(2L, count("SELECT count(*) FROM tenant_secrets WHERE tenant_id = $1::uuid", tenant));

        callers.as(developer(tenant)).delete("/api/v1/secrets/other").then().statusCode(204);
        callers.as(developer(tenant)).delete("/api/v1/secrets/other").then().statusCode(404);
        callers.as(viewer(tenant)).get("/api/v1/secrets").then().statusCode(200)
                .body("items.name", equalTo(List.of("API_TOKEN")));
    }

    @Test
    void viewersCannotWriteOrDeleteAndBadRequestsNameTheField() {
        String tenant = newTenant();
        callers.as(viewer(tenant)).body("{\"value\": \"v\"}").put("/api/v1/secrets/A").then().statusCode(403);
        callers.as(viewer(tenant)).delete("/api/v1/secrets/A").then().statusCode(403);

        callers.as(developer(tenant)).body("{\"value\": \"v\"}").put("/api/v1/secrets/1abc").then().statusCode(400)
                .body("errors[0].field", equalTo("name"));
        callers.as(developer(tenant)).body("{\"value\": \"v\"}").put("/api/v1/secrets/in").then().statusCode(400)
                .body("errors[0].field", equalTo("name"));
        callers.as(developer(tenant)).body("{\"value\": \"v\"}").put("/api/v1/secrets/a-b").then().statusCode(400)
                .body("errors[0].field", equalTo("name"));
        callers.as(developer(tenant)).body("{\"value\": 12}").put("/api/v1/secrets/A").then().statusCode(400)
                .body("errors[0].field", equalTo("value"));
        callers.as(developer(tenant)).body("{\"value\": \"\"}").put("/api/v1/secrets/A").then().statusCode(400)
                .body("errors[0].field", equalTo("value"));
        callers.as(developer(tenant)).body("{\"value\": \"v\", \"colour\": 1}").put("/api/v1/secrets/A").then()
                .statusCode(400).body("errors[0].field", equalTo("colour"));
        callers.as(developer(tenant)).body("{\"value\": \"" + "x".repeat(config.maxValueBytes() + 1) + "\"}")
                .put("/api/v1/secrets/A").then().statusCode(400).body("errors[0].field", equalTo("value"));
        callers.as(developer(tenant)).body("[]").put("/api/v1/secrets/A").then().statusCode(400);
        callers.as(developer(tenant)).queryParam("limit", 0).get("/api/v1/secrets").then().statusCode(400)
                .body("errors[0].field", equalTo("limit"));
        callers.as(viewer(tenant)).get("/api/v1/secrets").then().statusCode(200).body("items", equalTo(List.of()));
    }

    @Test
    void aTenantStoresAtMostItsLimitOfSecrets() {
        String tenant = newTenant();
        for (int i = 0; i < config.maxPerTenant(); i++) {
            callers.as(developer(tenant)).body("{\"value\": \"v\"}").put("/api/v1/secrets/S" + i).then()
                    .statusCode(201);
        }
        callers.as(developer(tenant)).body("{\"value\": \"v\"}").put("/api/v1/secrets/ONE_MORE").then()
                .statusCode(429).header("Retry-After", notNullValue());
        callers.as(developer(tenant)).body("{\"value\": \"w\"}").put("/api/v1/secrets/S0").then().statusCode(200);
    }

    @Test
    void anHttpNodeSendsTheSecretButNothingItRecordsHoldsIt() {
        String tenant = newTenant();
        String value = "tok-" + UUID.randomUUID();
        putSecret(tenant, "API_TOKEN", value);
        String path = "/" + unique("echo");
        String name = register(callers, tenant, echoWorkflow(unique("secret-call"), path, "secrets.API_TOKEN"));

        JsonPath result = start(tenant, name);

        assertEquals("completed", result.getString("status"), result.prettify());
        assertEquals("Bearer " + value, RECEIVED.get(path), "the receiver got the secret");
        assertEquals("Bearer ***", result.getString("outputs.call.body.youSent"));
        assertEquals("Bearer ***", result.getString("outputs.call.headers.x-echo"));
        String id = result.getString("executionId");
        String execution = callers.as(developer(tenant)).get("/api/v1/executions/" + id).then().statusCode(200)
                .body("steps[0].output.body.youSent", equalTo("Bearer ***")).extract().asString();
        assertFalse(execution.contains(value) || result.prettify().contains(value));
        assertNothingStoredContains(id, value);
        String definition = callers.as(viewer(tenant)).get("/api/v1/workflows/" + name).then().statusCode(200)
                .extract().asString();
        assertTrue(definition.contains("secrets.API_TOKEN") && !definition.contains(value));
    }

    @Test
    void anUnknownSecretFailsTheNodeNamingItAndAnErrorNeverQuotesAValue() {
        String tenant = newTenant();
        String name = register(callers, tenant, echoWorkflow(unique("no-secret"), "/" + unique("echo"),
                "secrets.MISSING"));

        JsonPath missing = start(tenant, name);

        assertEquals("failed", missing.getString("status"), missing.prettify());
        assertEquals("not-found", missing.getString("error.code"));
        assertTrue(missing.getString("error.message").contains("'MISSING'"), missing.getString("error.message"));

        String value = "not-a-number-" + UUID.randomUUID();
        putSecret(tenant, "WORD", value);
        String failing = register(callers, tenant, """
                {"name": "%s", "nodes": [{"id": "call", "type": "http", "config": {"method": "GET",
                  "url": "'http://127.0.0.1:%d/' + string(int(secrets.WORD))"}}]}
                """.formatted(unique("bad-secret"), port));
        JsonPath failed = start(tenant, failing);
        assertEquals("failed", failed.getString("status"), failed.prettify());
        assertFalse(failed.prettify().contains(value), failed.prettify());
        assertNothingStoredContains(failed.getString("executionId"), value);
    }

    @Test
    void anotherTenantCannotReadOverwriteDeleteOrUseASecret() {
        String owner = newTenant();
        String other = newTenant();
        String value = "owner-" + UUID.randomUUID();
        putSecret(owner, "SHARED", value);

        callers.as(developer(other)).get("/api/v1/secrets").then().statusCode(200).body("items", equalTo(List.of()));
        callers.as(developer(other)).delete("/api/v1/secrets/SHARED").then().statusCode(404);
        String path = "/" + unique("echo");
        String name = register(callers, other, echoWorkflow(unique("steal"), path, "secrets.SHARED"));
        JsonPath stolen = start(other, name);
        assertEquals("failed", stolen.getString("status"));
        assertEquals("not-found", stolen.getString("error.code"));
        assertFalse(RECEIVED.containsKey(path), "nothing was sent");

        callers.as(developer(other)).body("{\"value\": \"theirs\"}").put("/api/v1/secrets/SHARED").then()
                .statusCode(201);
        String ownersPath = "/" + unique("echo");
        String ownersWorkflow = register(callers, owner, echoWorkflow(unique("mine"), ownersPath, "secrets.SHARED"));
        assertEquals("completed", start(owner, ownersWorkflow).getString("status"));
        assertEquals("Bearer " + value, RECEIVED.get(ownersPath), "the owner's value is untouched");
        callers.as(developer(owner)).get("/api/v1/secrets").then().body("items.name", equalTo(List.of("SHARED")));
    }

    @Test
    void registrationRefusesCredentialsWrittenInTheDefinitionAndSecretsOutsideHttpNodes() {
        String tenant = newTenant();
        callers.as(developer(tenant)).body("""
                {"name": "%s", "nodes": [{"id": "call", "type": "http", "config": {"method": "GET",
                  "url": "'https://api.example.com/'", "headers": {"Authorization": "'Bearer sk-live-123'",
                  "X-Api-Key": "'k-' + '123'", "X-Trace": "'t-1'", "Proxy-Authorization": "''"}}}]}
                """.formatted(unique("literal"))).post("/api/v1/workflows").then().statusCode(422)
                .body("errors.field", equalTo(List.of("nodes[0].config.headers.Authorization",
                        "nodes[0].config.headers.X-Api-Key")))
                .body("errors[0].message", containsString("/api/v1/secrets"))
                .body("errors[0].message", not(containsString("sk-live-123")));
        callers.as(developer(tenant)).body("""
                {"name": "%s", "nodes": [{"id": "shape", "type": "transform",
                  "config": {"expression": "secrets.API_TOKEN"}}]}
                """.formatted(unique("in-transform"))).post("/api/v1/workflows").then().statusCode(422)
                .body("errors.field", hasItem("nodes[0].config.expression"));
        callers.as(developer(tenant)).body("""
                {"name": "%s", "nodes": [{"id": "call", "type": "http", "config": {"method": "POST",
                  "url": "'https://api.example.com/'", "body": "{'all': string(secrets)}"}}],
                 "output": "secrets.API_TOKEN"}
                """.formatted(unique("whole-map"))).post("/api/v1/workflows").then().statusCode(422)
                .body("errors.field", equalTo(List.of("nodes[0].config.body", "output")));
        register(callers, tenant, """
                {"name": "%s", "nodes": [{"id": "call", "type": "http", "config": {"method": "POST",
                  "url": "'https://api.example.com/' + secrets['PATH_PART']",
                  "headers": {"Authorization": "'Bearer ' + secrets.API_TOKEN", "X-Api-Key": "inputs.key"},
                  "body": "{'token': secrets.OTHER}"}}]}
                """.formatted(unique("fine")));
    }

    @Test
    void reEncryptionMovesSecretsSealedWithARetiredKeyToTheActiveOne() {
        String tenant = newTenant();
        String value = "rotated-" + UUID.randomUUID();
        SecretCipher retired = new SecretCipher(SecretKeyRing.parse(config.keys().orElseThrow(),
                Optional.of("dev-test-0")));
        repository.put(UUID.fromString(tenant), "OLD_KEY", retired.seal(UUID.fromString(tenant), "OLD_KEY", value),
                10, Instant.now()).await().atMost(Duration.ofSeconds(5));
        assertEquals(1L, count("SELECT count(*) FROM tenant_secrets WHERE tenant_id = $1::uuid "
                + "AND key_id = 'dev-test-0'", tenant));

        reencryption.runOnce().await().atMost(Duration.ofSeconds(10));

        assertEquals(1L, count("SELECT count(*) FROM tenant_secrets WHERE tenant_id = $1::uuid "
                + "AND key_id = 'dev-test-1'", tenant));
        String path = "/" + unique("echo");
        String name = register(callers, tenant, echoWorkflow(unique("after-rotation"), path, "secrets.OLD_KEY"));
        assertEquals("completed", start(tenant, name).getString("status"));
        assertEquals("Bearer " + value, RECEIVED.get(path));
    }

    private void putSecret(String tenant, String name, String value) {
        callers.as(developer(tenant)).body("{\"value\": \"" + value + "\"}").put("/api/v1/secrets/" + name).then()
                .statusCode(201);
    }

    private static String echoWorkflow(String name, String path, String secret) {
        return """
                {"name": "%s", "nodes": [{"id": "call", "type": "http", "config": {"method": "POST",
                  "url": "'http://127.0.0.1:%d%s'", "headers": {"Authorization": "'Bearer ' + %s"},
                  "body": "{'n': 1}"}}]}
                """.formatted(name, port, path, secret);
    }

    private JsonPath start(String tenant, String name) {
        return callers.as(developer(tenant)).body("{}").post("/api/v1/workflows/" + name + "/executions").then()
                .statusCode(200).extract().jsonPath();
    }

    private void assertNothingStoredContains(String executionId, String value) {
        assertEquals(0L, count("SELECT count(*) FROM executions e WHERE e.id = $1::uuid AND e::text LIKE '%"
                + value + "%'", executionId), "the execution row");
        assertEquals(0L, count("SELECT count(*) FROM execution_steps s WHERE s.execution_id = $1::uuid "
                + "AND s::text LIKE '%" + value + "%'", executionId), "the step rows");
        assertEquals(0L, count("SELECT count(*) FROM outbox_event o WHERE o.aggregate_id = $1 "
                + "AND o::text LIKE '%" + value + "%'", executionId), "the events");
    }

    private long count(String sql, String parameter) {
        return pool.preparedQuery(sql).execute(Tuple.of(parameter)).await().atMost(Duration.ofSeconds(5))
                .iterator().next().getLong(0);
    }
}
