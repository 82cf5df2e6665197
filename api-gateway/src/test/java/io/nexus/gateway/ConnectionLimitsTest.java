package io.nexus.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.nexus.gateway.FakeKeys.Key;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/** Limits the gateway enforces on connections before routing (test profile: header timeout 2 s). */
@QuarkusTest
class ConnectionLimitsTest {

    @Test
    void socketsThatNeverFinishTheirHeadersAreClosed() throws Exception {
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                Socket socket = RawHttp.open();
                socket.setSoTimeout(10_000); // five times the header timeout of the test profile
                RawHttp.send(socket, "GET /api/v1/wor");
                sockets.add(socket);
            }
            for (Socket socket : sockets) {
                assertTrue(RawHttp.closedByPeer(socket), "a socket still open 10 s after its partial request line");
            }
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    @Test
    void aConnectionThatFinishedItsHeadersMayWaitLongerThanTheHeaderTimeout() throws Exception {
        FakeServices.allReady();
        Key key = FakeKeys.register("developer", false, 1000, null);
        try (Socket socket = RawHttp.open()) {
            // The service answers after 3 s, past the 2 s header timeout: the connection stays for the answer.
            RawHttp.send(socket, "GET /api/v1/workflows/w1/executions HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
                    + "Bearer " + key.key() + "\r\nX-Test-Delay-Ms: 3000\r\n\r\n");
            assertEquals(200, RawHttp.read(socket).status());
        }
    }

    @Test
    void aContentLengthOverTheLimitIsAProblem413() throws Exception {
        // 20 MB: over Quarkus's own body limit (10 MB) too, whose 413 would be empty.
        for (long length : new long[] {5_000, 20_000_000}) {
            try (Socket socket = RawHttp.open()) {
                RawHttp.send(socket, "POST /api/v1/workflows HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
                        + "application/json\r\nContent-Length: " + length + "\r\n\r\n{");
                RawHttp.Response response = RawHttp.read(socket);
                assertEquals(413, response.status(), response.toString());
                assertTrue(response.header("Content-Type").startsWith("application/problem+json"));
                assertEquals("urn:nexus:problem:payload-too-large", new JsonObject(response.body()).getString("type"));
                assertTrue(RawHttp.closedByPeer(socket), "the rest of the body is not read");
            }
        }
    }

    @Test
    void anOverlongTargetIsAProblem414() throws Exception {
        RawHttp.Response response = RawHttp.get(null, "/api/v1/workflows?q=" + "a".repeat(10_000), "");
        assertEquals(414, response.status(), response.toString());
        assertTrue(response.header("Content-Type").startsWith("application/problem+json"));
        assertEquals("urn:nexus:problem:uri-too-long", new JsonObject(response.body()).getString("type"));
    }
}
