package io.nexus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI end to end in-process: arguments, requests it sends, what it prints and its exit code. */
class NexusCliTest {

    private static final String KEY = "nxk_test_key_0123456789";
    private static final String SESSION = "q3Vd0c5lJ8Yy2m6b3tY1aQ";
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path config;
    private FakeApi api;

    @BeforeEach
    void startApi() throws Exception {
        api = new FakeApi();
    }

    @AfterEach
    void stopApi() {
        api.close();
    }

    private Run nexus(String... args) {
        return Run.of(config, Map.of("NEXUS_URL", api.url(), "NEXUS_API_KEY", KEY), false, args);
    }

    @Test
    void helpListsEveryCommandAndTheExitCodes() {
        Run run = nexus("--help");
        assertEquals(0, run.exitCode, run.toString());
        for (String text : new String[] {"login", "workflow", "execution", "session", "marketplace", "tenant", "health",
                "completion", "Exit codes:", "5  conflict or quota", "6  server or network"}) {
            assertTrue(run.out.contains(text), text + " in\n" + run.out);
        }
    }

    @Test
    void anUnknownFlagIsAUsageErrorOnStderr() {
        Run run = nexus("workflow", "list", "--bogus");
        assertEquals(2, run.exitCode, run.toString());
        assertEquals("", run.out);
        assertTrue(run.err.contains("Unknown option: '--bogus'"), run.err);
        assertTrue(run.err.contains("Usage: nexus workflow list"), run.err);
        assertTrue(api.requests.isEmpty());
    }

    @Test
    void aMissingArgumentAndABadOutputFormatAreUsageErrors() {
        assertEquals(2, nexus("workflow", "run").exitCode);
        assertEquals(2, nexus("health", "--output", "xml").exitCode);
        assertEquals(2, nexus("completion", "fish").exitCode);
    }

    @Test
    void inputThatIsNotJsonIsAUsageErrorBeforeAnyRequest() {
        Run run = nexus("workflow", "run", "price", "--input", "{n: 1");
        assertEquals(2, run.exitCode, run.toString());
        assertTrue(run.err.startsWith("error: --input: not valid JSON"), run.err);
        assertTrue(api.requests.isEmpty());
    }

    @Test
    void everyRequestDeclaresTheCliChannelAndTheKey() {
        api.json("GET", "/api/v1/workflows", 200, "{\"items\": [], \"nextCursor\": null}");
        assertEquals(0, nexus("workflow", "list").exitCode);
        assertEquals("cli", api.last().header("X-Nexus-Channel"));
        assertEquals("Bearer " + KEY, api.last().header("Authorization"));
        assertNull(api.last().header("X-Nexus-Session"));
    }

    @Test
    void runSendsTheInputsAndTheSession() throws Exception {
        api.json("POST", "/api/v1/workflows/price/executions", 200,
                "{\"executionId\": \"e1\", \"status\": \"completed\", \"outputs\": {\"total\": 6}, \"error\": null,"
                        + " \"durationMs\": 3}");
        Run run = nexus("workflow", "run", "price", "--input", "{\"n\": 2}", "--session", SESSION, "-o", "json");
        assertEquals(0, run.exitCode, run.toString());
        assertEquals(SESSION, api.last().header("X-Nexus-Session"));
        assertEquals(json.readTree("{\"inputs\": {\"n\": 2}}"), json.readTree(api.last().body()));
        assertEquals(6, json.readTree(run.out).path("outputs").path("total").asInt());
        assertEquals("", run.err);
    }

    @Test
    void inputsMayComeFromAFile() throws Exception {
        Path inputs = Files.writeString(config.resolve("inputs.json"), "{\"n\": 7}");
        api.json("POST", "/api/v1/workflows/price/executions", 202, "{\"executionId\": \"e1\", \"status\": \"pending\"}");
        Run run = nexus("workflow", "run", "price", "--input", "@" + inputs, "--async");
        assertEquals(0, run.exitCode, run.toString());
        assertEquals(json.readTree("{\"inputs\": {\"n\": 7}, \"mode\": \"async\"}"), json.readTree(api.last().body()));
    }

    @Test
    void aFailedExecutionExitsOne() {
        api.json("POST", "/api/v1/workflows/price/executions", 200,
                "{\"executionId\": \"e1\", \"status\": \"failed\", \"outputs\": null,"
                        + " \"error\": {\"code\": \"expression\", \"message\": \"/ by zero\", \"node\": \"divide\"},"
                        + " \"durationMs\": 3}");
        Run run = nexus("workflow", "run", "price");
        assertEquals(1, run.exitCode, run.toString());
        assertTrue(run.out.contains("execution e1 failed"), run.out);
        assertTrue(run.out.contains("error at node divide: expression: / by zero"), run.out);
    }

    @Test
    void waitFollowsTheEventStreamToTheEnd() throws Exception {
        api.json("POST", "/api/v1/workflows/slow/executions", 202, "{\"executionId\": \"e2\", \"status\": \"running\"}");
        api.events("/api/v1/executions/e2/events", """
                id:1
                event:step
                data:{"node":"a","status":"completed","attempts":1,"output":{"x":1},"error":null}

                : keep-alive

                id:2
                event:end
                data:{"executionId":"e2","status":"completed","outputs":{"x":1},"error":null,"durationMs":1500}

                """);
        Run run = nexus("workflow", "run", "slow", "--wait", "-o", "json");
        assertEquals(0, run.exitCode, run.toString());
        JsonNode end = json.readTree(run.out);
        assertEquals("completed", end.path("status").asText());
        assertEquals("", run.err);

        Run watched = nexus("execution", "watch", "e2");
        assertEquals(0, watched.exitCode, watched.toString());
        assertTrue(watched.out.contains("step a completed (attempt 1)"), watched.out);
    }

    @Test
    void jsonOutputIsExactlyOneDocument() throws Exception {
        api.json("GET", "/api/v1/executions?status=failed&limit=2", 200,
                "{\"items\": [{\"id\": \"e1\", \"status\": \"failed\"}], \"nextCursor\": \"abc\"}");
        Run run = nexus("execution", "list", "--status", "failed", "--limit", "2", "--output", "json");
        assertEquals(0, run.exitCode, run.toString());
        assertEquals("", run.err);
        JsonNode document = json.readTree(run.out);
        assertEquals("abc", document.path("nextCursor").asText());
        // Exactly one document: nothing follows it.
        assertEquals(run.out.trim(), json.writerWithDefaultPrettyPrinter().writeValueAsString(document).trim());
    }

    @Test
    void yamlOutputIsOneDocument() {
        api.json("GET", "/api/v1/sessions/" + SESSION, 200, "{\"id\": \"" + SESSION + "\", \"data\": {\"a\": 1}}");
        Run run = nexus("session", "show", SESSION, "-o", "yaml");
        assertEquals(0, run.exitCode, run.toString());
        assertEquals("id: " + SESSION + "\ndata:\n  a: 1\n", run.out);
    }

    @Test
    void sessionSetPatchesTheData() throws Exception {
        api.json("PATCH", "/api/v1/sessions/" + SESSION, 200, "{\"id\": \"" + SESSION + "\", \"data\": {\"a\": 1}}");
        Run run = nexus("session", "set", SESSION, "--data", "{\"a\": 1}");
        assertEquals(0, run.exitCode, run.toString());
        assertEquals("PATCH", api.last().method());
        assertEquals(json.readTree("{\"data\": {\"a\": 1}}"), json.readTree(api.last().body()));
        assertEquals("cli", api.last().header("X-Nexus-Channel"));
    }

    @Test
    void marketplaceSearchSendsTheFiltersAndPrintsTheRankedItems() throws Exception {
        api.json("GET", "/api/v1/marketplace/items?q=order+intake&category=sales&sort=rating&limit=1", 200, """
                {"items": [{"id": "i-1", "name": "Order intake", "summary": "Takes orders", "latestVersion": "1.2.0",
                            "stats": {"rating": 4.5, "reviews": 2, "installs": 7}}], "total": 3}""");
        Run run = nexus("marketplace", "search", "order intake", "--category", "sales", "--sort", "rating",
                "--limit", "1");
        assertEquals(0, run.exitCode, run.toString());
        assertEquals("/api/v1/marketplace/items?q=order+intake&category=sales&sort=rating&limit=1",
                api.last().pathAndQuery());
        assertTrue(run.out.contains("Order intake") && run.out.contains("4.5 (2)") && run.out.contains("1.2.0"),
                run.out);
        assertTrue(run.out.contains("1 of 3; more: --offset 1"), run.out);
    }

    @Test
    void marketplacePublishInstallAndReviewSendWhatTheApiTakes() throws Exception {
        api.json("POST", "/api/v1/marketplace/items", 201, "{\"id\": \"i-1\", \"versions\": []}");
        Run publish = nexus("marketplace", "publish", "order-intake", "--name", "Order intake", "--summary", "Takes",
                "--category", "sales", "--category", "ops", "--tag", "orders", "--license", "MIT", "-o", "json");
        assertEquals(0, publish.exitCode, publish.toString());
        assertEquals(json.readTree("""
                {"workflow": "order-intake", "name": "Order intake", "summary": "Takes",
                 "categories": ["sales", "ops"], "tags": ["orders"], "license": "MIT"}"""),
                json.readTree(api.last().body()));

        api.json("POST", "/api/v1/marketplace/items/i-1/install", 202,
                "{\"installId\": \"n-1\", \"workflow\": \"mine\", \"status\": \"pending\"}");
        Run install = nexus("marketplace", "install", "i-1", "--as", "mine");
        assertEquals(0, install.exitCode, install.toString());
        assertEquals(json.readTree("{\"as\": \"mine\"}"), json.readTree(api.last().body()));
        assertTrue(install.out.contains("workflow 'mine' pending"), install.out);

        api.json("PUT", "/api/v1/marketplace/items/i-1/reviews", 200, "{\"rating\": 4, \"verified\": true}");
        Run review = nexus("marketplace", "review", "i-1", "--rating", "4", "--comment", "good", "--update");
        assertEquals(0, review.exitCode, review.toString());
        assertEquals("PUT", api.last().method());
        assertEquals(json.readTree("{\"rating\": 4, \"comment\": \"good\"}"), json.readTree(api.last().body()));
        assertTrue(review.out.contains("4/5 (verified install)"), review.out);

        Run missing = nexus("marketplace", "publish", "--item", "i-1");
        assertEquals(2, missing.exitCode, missing.toString());
    }

    @Test
    void problemsArePrintedWithEveryFieldErrorAndMappedToExitCodes() {
        api.problem("POST", "/api/v1/workflows", 422, """
                {"type": "urn:nexus:problem:unprocessable", "title": "Unprocessable content", "status": 422,
                 "detail": "the definition has 2 problems",
                 "errors": [{"field": "name", "message": "invalid workflow name 'Bad Name'"},
                            {"field": "edges[0].to", "message": "edge target 'zz' is not a node id"}]}""");
        Run run = nexus("workflow", "create", "-f", "-");
        // stdin is empty here: a usage error before any request.
        assertEquals(2, run.exitCode, run.toString());

        Path definition = config.resolve("bad.json");
        try {
            Files.writeString(definition, "{\"name\": \"Bad Name\"}");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        run = nexus("workflow", "create", "-f", definition.toString());
        assertEquals(2, run.exitCode, run.toString());
        assertEquals("error: 422 unprocessable: the definition has 2 problems\n"
                + "  name: invalid workflow name 'Bad Name'\n"
                + "  edges[0].to: edge target 'zz' is not a node id\n", run.err);
        assertEquals("", run.out);
    }

    @Test
    void notFoundExitsFourAndABadKeyThree() {
        assertEquals(4, nexus("workflow", "show", "nope").exitCode);
        api.problem("GET", "/api/v1/workflows", 401, "{\"type\": \"urn:nexus:problem:unauthorized\", \"status\": 401,"
                + " \"detail\": \"the API key is unknown\"}");
        Run run = nexus("workflow", "list");
        assertEquals(3, run.exitCode, run.toString());
        assertEquals("error: 401 unauthorized: the API key is unknown\n", run.err);
    }

    @Test
    void aConflictExitsFiveAndAServerErrorSix() {
        api.problem("POST", "/api/v1/executions/e1/cancel", 409, "{\"status\": 409, \"detail\": \"ended\"}");
        assertEquals(5, nexus("execution", "cancel", "e1").exitCode);
        api.problem("GET", "/api/v1/executions/e1", 503, "{\"status\": 503}");
        assertEquals(6, nexus("execution", "show", "e1").exitCode);
    }

    @Test
    void anUnreachableApiExitsSix() {
        Run run = Run.of(config, Map.of("NEXUS_URL", "http://127.0.0.1:9", "NEXUS_API_KEY", KEY), false,
                "workflow", "list");
        assertEquals(6, run.exitCode, run.toString());
        assertTrue(run.err.startsWith("error: cannot reach http://127.0.0.1:9"), run.err);
    }

    @Test
    void withoutAKeyItExitsThreeAndSaysHowToLogIn() {
        Run run = Run.of(config, Map.of("NEXUS_URL", api.url()), false, "workflow", "list");
        assertEquals(3, run.exitCode, run.toString());
        assertTrue(run.err.contains("nexus login"), run.err);
    }

    @Test
    void loginChecksTheKeyThenStoresItOwnerOnly() throws Exception {
        api.json("GET", "/api/v1/tenant", 200, "{\"id\": \"t1\", \"name\": \"acme\"}");
        Run run = Run.of(config, Map.of(), false, "login", "--url", api.url() + "/", "--key", KEY);
        assertEquals(0, run.exitCode, run.toString());
        assertTrue(run.out.contains("as tenant acme (t1)"), run.out);
        Path file = config.resolve("config.json");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        JsonNode stored = json.readTree(file.toFile());
        assertEquals(api.url(), stored.path("url").asText());
        assertEquals(KEY, stored.path("apiKey").asText());

        // The stored configuration is used from now on.
        api.json("GET", "/api/v1/workflows", 200, "{\"items\": [], \"nextCursor\": null}");
        assertEquals(0, Run.of(config, Map.of(), false, "workflow", "list").exitCode);
    }

    @Test
    void loginWithABadKeyStoresNothing() {
        api.problem("GET", "/api/v1/tenant", 401, "{\"status\": 401, \"detail\": \"unknown key\"}");
        Run run = Run.of(config, Map.of(), false, "login", "--url", api.url(), "--key", KEY);
        assertEquals(3, run.exitCode, run.toString());
        assertFalse(Files.exists(config.resolve("config.json")));
    }

    @Test
    void tablesAreColouredOnlyOnATerminalWithoutNoColor() {
        api.json("GET", "/api/v1/executions", 200,
                "{\"items\": [{\"id\": \"e1\", \"workflow\": \"w\", \"status\": \"failed\"}], \"nextCursor\": null}");
        Map<String, String> variables = Map.of("NEXUS_URL", api.url(), "NEXUS_API_KEY", KEY);
        assertTrue(Run.of(config, variables, true, "execution", "list").out.contains("\u001b["));
        assertFalse(Run.of(config, variables, false, "execution", "list").out.contains("\u001b["));
        Map<String, String> noColor = Map.of("NEXUS_URL", api.url(), "NEXUS_API_KEY", KEY, "NO_COLOR", "1");
        Run run = Run.of(config, noColor, true, "execution", "list");
        assertFalse(run.out.contains("\u001b["), run.out);
        assertTrue(run.out.startsWith("ID  WORKFLOW  VERSION  STATUS"), run.out);
    }

    @Test
    void healthExitsSixWhenAServiceIsDownButStillShowsIt() throws Exception {
        api.json("GET", "/health", 503, "{\"status\": \"down\", \"services\": [{\"name\": \"tenant-service\","
                + " \"status\": \"down\", \"reason\": \"timeout\"}]}");
        Run run = Run.of(config, Map.of("NEXUS_URL", api.url()), false, "health", "-o", "json");
        assertEquals(6, run.exitCode, run.toString());
        assertEquals("down", json.readTree(run.out).path("status").asText());
        assertNull(api.last().header("Authorization"));
    }

    @Test
    void completionScriptsNameTheCommands() {
        Run bash = nexus("completion", "bash");
        assertEquals(0, bash.exitCode, bash.toString());
        assertTrue(bash.out.contains("complete -F _complete_nexus"), bash.out.substring(0, 200));
        assertTrue(bash.out.contains("workflow"));
        Run zsh = nexus("completion", "zsh");
        assertTrue(zsh.out.startsWith("autoload -U +X compinit"), zsh.out.substring(0, 100));
    }

    @Test
    void tenantKeysCreateSendsNameAndRole() throws Exception {
        api.json("POST", "/api/v1/tenants/t1/api-keys", 201, "{\"id\": \"k1\", \"key\": \"nxk_new\", \"role\": \"viewer\"}");
        Run run = nexus("tenant", "keys", "create", "t1", "--name", "ci", "--role", "viewer", "-o", "json");
        assertEquals(0, run.exitCode, run.toString());
        assertEquals(json.readTree("{\"name\": \"ci\", \"role\": \"viewer\"}"), json.readTree(api.last().body()));
        assertEquals("nxk_new", json.readTree(run.out).path("key").asText());
    }
}
