package io.nexus.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.nexus.common.identity.IdentityTokens;
import io.nexus.common.testing.CallerSpecs;
import io.nexus.common.testing.RawHttp;
import io.nexus.common.testing.RawHttp.Answer;
import io.nexus.common.testing.TestIdentities;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * The HTTP edge (docs/api.md §3, §4.1) as a direct caller with a valid identity meets it: JSON bodies only, UTF-8
 * only, and a problem+json answer even for what Vert.x refuses before any resource runs. Raw sockets, because HTTP
 * clients will not send most of these requests.
 */
@QuarkusTest
class HttpEdgeTest {

    @Inject
    IdentityTokens tokens;

    private String identity;
    private String tenantId;

    @BeforeEach
    void setUp() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        identity = tokens.sign(TestIdentities.platformAdmin());
        tenantId = new CallerSpecs(tokens).as(TestIdentities.platformAdmin())
                .body("{\"name\": \"edge-" + UUID.randomUUID() + "\"}").post("/api/v1/tenants").then()
                .statusCode(201).extract().path("id");
    }

    @Test
    void bodiesWithoutAJsonContentTypeAre415() throws IOException {
        String tenant = "/api/v1/tenants/" + tenantId;
        assertUnsupported(request("POST", tenant + "/api-keys", null, "{\"name\": \"k\", \"role\": \"viewer\"}"));
        assertUnsupported(request("PATCH", tenant, "*/*", "{\"name\": \"renamed\"}"));
        assertUnsupported(request("POST", "/api/v1/tenants", "application/x-www-form-urlencoded", "name=x"));
        assertUnsupported(request("POST", "/api/v1/tenants", "application/octet-stream", "{\"name\": \"x\"}"));
        assertUnsupported(request("PATCH", tenant, "application/json-patch+json", "[]"));
        assertUnsupported(request("PATCH", tenant, "application/json; charset=iso-8859-1", "{\"name\": \"y\"}"));
        assertUnsupported(requestChunked("POST", tenant + "/api-keys", null, "{\"name\": \"k\", \"role\": \"viewer\"}"));
    }

    @Test
    void jsonContentTypesAndBodylessPostsStillPass() throws IOException {
        String tenant = "/api/v1/tenants/" + tenantId;
        assertEquals(200, request("PATCH", tenant, "application/merge-patch+json", "{\"name\": \"edge-"
                + UUID.randomUUID() + "\"}").status());
        assertEquals(201, request("POST", tenant + "/api-keys", "application/json; charset=UTF-8",
                "{\"name\": \"k\", \"role\": \"viewer\"}").status());
        assertNotEquals(415, request("POST", "/test-support/probe", null, "").status());
    }

    @Test
    void bodiesThatAreNotUtf8Are400() throws IOException {
        byte[] overlongSlash = bytes("{\"name\": \"a", new byte[] { (byte) 0xC0, (byte) 0xAF }, "b\"}");
        Answer answer = request("PATCH", "/api/v1/tenants/" + tenantId, "application/json", overlongSlash);
        assertProblem(400, answer);
        byte[] loneContinuation = bytes("{\"name\": \"a", new byte[] { (byte) 0x80 }, "\"}");
        assertProblem(400, request("POST", "/api/v1/tenants", "application/json", loneContinuation));
        String name = new CallerSpecs(tokens).as(TestIdentities.platformAdmin()).get("/api/v1/tenants/" + tenantId)
                .then().statusCode(200).extract().path("name");
        assertEquals(true, name.startsWith("edge-"), name);
    }

    @Test
    void targetsOutsideTheUriGrammarAreProblemsNamingThePart() throws IOException {
        StringBuilder wrong = new StringBuilder();
        // Malformed escapes (%ZZ, %4) and ASCII the URI grammar forbids never get here: Vert.x refuses them while
        // parsing the request line, with an empty 400 no application code can change (docs/api.md §3).
        String[][] cases = {
                { "/api/v1/tenants/a%C0%AFb", "path" }, { "/api/v1/tenants?limit=5&cursor=%C0%AF", "cursor" },
                { "/api/v1/tenants?cursor=%FF", "cursor" } };
        for (String[] c : cases) {
            Answer answer = get(c[0]);
            if (answer.status() != 400 || !"application/problem+json".equals(answer.header("content-type"))
                    || !c[1].equals(answer.json().getString("errors[0].field"))) {
                wrong.append(c[0]).append(" -> ").append(answer).append('\n');
            }
        }
        byte[] rawByte = bytes("GET /api/v1/tenants/a", new byte[] { (byte) 0xC3 }, "b HTTP/1.1\r\nHost: x\r\n"
                + IdentityTokens.HEADER + ": " + identity);
        Answer raw = RawHttp.send(rawByte, new byte[0]);
        if (raw.status() != 400 || !"path".equals(raw.json().getString("errors[0].field"))) {
            wrong.append("raw 0xC3 -> ").append(raw);
        }
        assertEquals("", wrong.toString());
    }

    @Test
    void bodiesOverTheLimitAre413Problems() throws IOException {
        byte[] big = new byte[1024 * 1024 + 10];
        java.util.Arrays.fill(big, (byte) 'a');
        assertProblem(413, request("POST", "/api/v1/tenants", "application/json", big));
        assertProblem(413, requestChunked("POST", "/api/v1/tenants", "application/json",
                new String(big, StandardCharsets.US_ASCII)));
    }

    @Test
    void chunkedBodiesWithinTheLimitStillPass() throws IOException {
        Answer answer = requestChunked("POST", "/api/v1/tenants/" + tenantId + "/api-keys", "application/json",
                "{\"name\": \"chunked\", \"role\": \"viewer\"}");
        assertEquals(201, answer.status(), answer::toString);
    }

    @Test
    void asteriskFormIsAProblem() throws IOException {
        Answer answer = RawHttp.send("GET * HTTP/1.1\r\nHost: x\r\n" + IdentityTokens.HEADER + ": " + identity,
                new byte[0]);
        assertEquals("application/problem+json", answer.header("content-type"), answer::toString);
    }

    private Answer get(String target) throws IOException {
        return RawHttp.send("GET " + target + " HTTP/1.1\r\nHost: x\r\n" + IdentityTokens.HEADER + ": " + identity,
                new byte[0]);
    }

    private Answer request(String method, String path, String contentType, String body) throws IOException {
        return request(method, path, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    private Answer request(String method, String path, String contentType, byte[] body) throws IOException {
        String head = method + " " + path + " HTTP/1.1\r\nHost: x\r\n" + IdentityTokens.HEADER + ": " + identity
                + "\r\nContent-Length: " + body.length + (contentType == null ? "" : "\r\nContent-Type: " + contentType);
        return RawHttp.send(head, body);
    }

    private Answer requestChunked(String method, String path, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = method + " " + path + " HTTP/1.1\r\nHost: x\r\n" + IdentityTokens.HEADER + ": " + identity
                + "\r\nTransfer-Encoding: chunked" + (contentType == null ? "" : "\r\nContent-Type: " + contentType);
        return RawHttp.send(head, bytes(Integer.toHexString(bytes.length) + "\r\n", bytes, "\r\n0\r\n\r\n"));
    }

    private static void assertUnsupported(Answer answer) {
        assertProblem(415, answer, "Content-Type");
    }

    private static void assertProblem(int status, Answer answer, String... fields) {
        assertEquals(status, answer.status(), answer::toString);
        assertEquals("application/problem+json", answer.header("content-type"), answer::toString);
        assertEquals(status, answer.json().getInt("status"), answer::toString);
        for (String field : fields) {
            assertEquals(field, answer.json().getString("errors[0].field"), answer::toString);
        }
    }

    private static byte[] bytes(String before, byte[] middle, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(middle);
        out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
