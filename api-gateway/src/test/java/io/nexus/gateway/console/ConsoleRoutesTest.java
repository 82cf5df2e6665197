package io.nexus.gateway.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.restassured.RestAssured;
import io.restassured.config.DecoderConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.quarkus.test.junit.QuarkusTest;

/**
 * /console serves the console's files (here the fixtures under src/test/resources/META-INF/nexus-console-test) with
 * its own security headers, caching and pre-compressed variants, and leaves /api exactly as it was.
 */
@QuarkusTest
class ConsoleRoutesTest {

    private static final String ASSET = "/console/assets/app-Fx7test1.js";

    /** A client that does not ask for compression and leaves any answer's body as it came. */
    private static RequestSpecification raw() {
        return raw("identity");
    }

    private static RequestSpecification raw(String acceptEncoding) {
        return given().config(RestAssured.config().decoderConfig(DecoderConfig.decoderConfig().noContentDecoders()))
                .header("Accept-Encoding", acceptEncoding);
    }

    @Test
    void indexCarriesTheContentSecurityPolicyAndIsRevalidatedEveryTime() {
        raw().get("/console/").then()
                .statusCode(200)
                .header("Content-Type", "text/html; charset=utf-8")
                .header("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; "
                        + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; "
                        + "form-action 'self'")
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("Cache-Control", "no-cache")
                .header("Content-Encoding", nullValue())
                .body(containsString("fixture index"));
    }

    @Test
    void theBarePrefixServesTheIndexToo() {
        raw().redirects().follow(false).get("/console").then()
                .statusCode(200)
                .header("Content-Type", startsWith("text/html"))
                .body(containsString("fixture index"));
    }

    @Test
    void hashedAssetsAreImmutable() {
        raw().get(ASSET).then()
                .statusCode(200)
                .header("Content-Type", "text/javascript; charset=utf-8")
                .header("Cache-Control", "public, max-age=31536000, immutable")
                .header("Content-Security-Policy", containsString("default-src 'self'"))
                .body(containsString("console asset fixture"));
    }

    @Test
    void theGzipVariantIsServedWhenTheClientAcceptsIt() throws IOException {
        byte[] plain = raw().get(ASSET).then().statusCode(200).extract().asByteArray();
        Response gzipped = raw("br;q=1.0, gzip;q=0.8").get(ASSET);
        gzipped.then()
                .statusCode(200)
                .header("Content-Encoding", "gzip")
                .header("Vary", "Accept-Encoding")
                .header("Content-Type", "text/javascript; charset=utf-8");
        byte[] body = gzipped.asByteArray();
        assertTrue(body.length < plain.length, "the gzip variant should be smaller than the file");
        assertArrayEquals(plain, gunzip(body), "the gzip variant must decode to the file itself");
    }

    @ParameterizedTest
    @ValueSource(strings = { "identity", "gzip;q=0", "deflate, br", "*;q=0" })
    void noGzipWhenTheClientDoesNotAcceptIt(String acceptEncoding) {
        raw(acceptEncoding).get(ASSET).then()
                .statusCode(200)
                .header("Content-Encoding", nullValue())
                .header("Vary", "Accept-Encoding")
                .body(containsString("console asset fixture"));
    }

    @Test
    void aFileWithoutAGzipVariantIsServedAsIs() {
        raw("gzip").get("/console/assets/plain-Qz9test2.css").then()
                .statusCode(200)
                .header("Content-Type", "text/css; charset=utf-8")
                .header("Content-Encoding", nullValue())
                .body(containsString("color"));
    }

    @Test
    void aMatchingEtagAnswers304WithoutABody() {
        String etag = raw().get(ASSET).then().statusCode(200).extract().header("ETag");
        assertTrue(etag != null && etag.startsWith("\""), "a strong ETag, got " + etag);
        raw().header("If-None-Match", etag).get(ASSET).then()
                .statusCode(304)
                .header("ETag", etag)
                .body(emptyString());
        // The gzip variant is other bytes, so it has another tag and the identity tag does not validate it.
        raw("gzip").header("If-None-Match", etag).get(ASSET).then()
                .statusCode(200)
                .header("ETag", not(equalTo(etag)));
    }

    @Test
    void headAnswersTheHeadersWithoutTheBody() {
        raw().head(ASSET).then()
                .statusCode(200)
                .header("Content-Length", "204")
                .header("Cache-Control", "public, max-age=31536000, immutable")
                .body(emptyString());
    }

    @Test
    void otherMethodsAre405ProblemsNamingTheAllowedOnes() {
        raw().contentType("application/json").body("{}").post("/console/").then()
                .statusCode(405)
                .header("Allow", "GET, HEAD")
                .header("Content-Type", "application/problem+json")
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .body("type", equalTo("urn:nexus:problem:method-not-allowed"));
        raw().delete(ASSET).then().statusCode(405);
    }

    @Test
    void anUnknownFileIsA404Problem() {
        raw().get("/console/assets/missing-123.js").then()
                .statusCode(404)
                .header("Content-Type", "application/problem+json")
                .header("Cache-Control", "no-store")
                .body("type", equalTo("urn:nexus:problem:not-found"))
                .body("status", equalTo(404))
                .body("instance", equalTo("/console/assets/missing-123.js"));
    }

    @Test
    void onlyFilesTheManifestListsAreServed() {
        // On the classpath beside the console's files, but not one of them.
        raw().get("/console/secret-not-listed.txt").then().statusCode(404);
        raw().get("/console/nexus-console-files.txt").then().statusCode(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/console/assets/../index.html",
            "/console/assets/%2e%2e/index.html",
            "/console/assets/%2E%2E/%2E%2E/application.properties",
            "/console/%2e%2e%2fapplication.properties",
            "/console/assets%2fapp-Fx7test1.js",
            "/console/index.html%00",
            "/console/..%5capplication.properties" })
    void traversalAndNulAreRefused(String target) throws IOException {
        String answer = rawRequest("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        int status = Integer.parseInt(answer.substring(9, 12));
        assertTrue(status >= 400 && status < 500, target + " answered " + answer.lines().findFirst().orElse(""));
        assertTrue(!answer.contains("fixture index") && !answer.contains("quarkus.application.name"),
                target + " must not answer a file: " + answer);
    }

    @Test
    void apiAnswersGetNeitherTheConsoleHeadersNorCompression() {
        given().config(RestAssured.config().decoderConfig(DecoderConfig.decoderConfig().noContentDecoders()))
                .header("Accept-Encoding", "gzip")
                .get("/api/v1/workflows").then()
                .statusCode(401)
                .header("Content-Type", "application/problem+json")
                .header("Content-Security-Policy", nullValue())
                .header("X-Content-Type-Options", nullValue())
                .header("Content-Encoding", nullValue())
                .body("type", equalTo("urn:nexus:problem:unauthorized"));
    }

    private static byte[] gunzip(byte[] body) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return in.readAllBytes();
        }
    }

    /** Sends the request exactly as written (an HTTP client would normalise the dots and escapes away). */
    private static String rawRequest(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertEquals("HTTP/1.1 ", answer.substring(0, 9), "not an HTTP answer: " + answer);
            return answer;
        }
    }
}
