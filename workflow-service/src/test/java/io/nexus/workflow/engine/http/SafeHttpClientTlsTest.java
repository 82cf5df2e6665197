package io.nexus.workflow.engine.http;

import static io.nexus.workflow.engine.http.Calls.failure;
import static io.nexus.workflow.engine.http.Calls.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.TextNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PfxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** https to the checked address keeps SNI and certificate verification on the name from the URL. */
class SafeHttpClientTlsTest {

    private static Vertx vertx;
    private static Path keystoreDir;
    private static PfxOptions certificate;
    private LocalServer server;
    private SafeHttpClient client;
    private FakeResolver resolver;

    @BeforeAll
    static void startVertx() throws Exception {
        vertx = Vertx.vertx();
        // Netty's self-signed generator needs BouncyCastle or JDK internals; the JDK's keytool needs neither.
        keystoreDir = Files.createTempDirectory("nexus-http-tls");
        Path keystore = keystoreDir.resolve("secure-test.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "secure", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=secure.test", "-ext", "SAN=dns:secure.test", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        certificate = new PfxOptions().setPath(keystore.toString()).setPassword("changeit");
    }

    @AfterAll
    static void stopVertx() throws Exception {
        LocalServer.await(vertx.close());
        try (var files = Files.walk(keystoreDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @BeforeEach
    void start() {
        server = LocalServer.start(vertx, new HttpServerOptions().setSsl(true).setSni(true)
                .setKeyCertOptions(certificate));
        server.route("/", request -> request.response().end("secret"));
        resolver = new FakeResolver().answer("secure.test", "127.0.0.1").answer("impostor.test", "127.0.0.1");
        client = new SafeHttpClient(vertx, OutboundPolicy.defaults(), resolver, Calls.loopbackServerIsPublic(),
                new HttpClientOptions().setTrustOptions(certificate));
    }

    /** TLS set-up in a cold JVM on a loaded machine takes seconds; this test is not about the deadline. */
    private static HttpCallSpec get(String url) {
        return new HttpCallSpec("GET", url, java.util.Map.of(), null, java.time.Duration.ofSeconds(25), null);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void sendsTheUrlHostAsSniAndVerifiesTheCertificateAgainstIt() {
        HttpCallResult result = result(client.call(get("https://secure.test:" + server.port + "/")));

        assertEquals(TextNode.valueOf("secret"), result.body());
        assertEquals("secure.test", server.requests.get(0).sni());
        assertEquals("secure.test:" + server.port, server.requests.get(0).headers().get("Host"));
    }

    @Test
    void refusesACertificateIssuedForAnotherName() {
        HttpCallFailure failure = failure(client.call(get("https://impostor.test:" + server.port + "/")));

        assertEquals(HttpCallFailure.HTTP, failure.code(), failure.getMessage());
        assertTrue(server.requests.isEmpty());
    }
}
