package io.nexus.common.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class RequestTargetsTest {

    @Test
    void validTargetsPass() {
        assertTrue(RequestTargets.firstFault("/api/v1/workflows/a-b_c.d~e%20f").isEmpty());
        assertTrue(RequestTargets.firstFault("/api/v1/tenants?limit=5&cursor=ab%2Bc+d&flag").isEmpty());
        assertTrue(RequestTargets.firstFault("/api/v1/x/%C3%A9?q=%E2%82%AC").isEmpty());
    }

    @Test
    void malformedEscapesNameThePart() {
        assertEquals("path", field("/api/v1/workflows/%ZZ"));
        assertEquals("path", field("/api/v1/workflows/%"));
        assertEquals("path", field("/api/v1/workflows/%G1"));
        assertEquals("cursor", field("/api/v1/workflows?limit=1&cursor=%4"));
        assertEquals("query", field("/api/v1/workflows?%ZZ=1"));
    }

    @Test
    void escapesThatAreNotUtf8AndRawCharactersAreFaults() {
        assertEquals("path", field("/api/v1/workflows/a%C0%AFb"));
        assertEquals("cursor", field("/api/v1/workflows?cursor=%FF"));
        assertEquals("path", field("/api/v1/workflows/a\u00c3b"));
        assertEquals("path", field("/api/v1/workflows/a{b"));
        assertEquals("path", field("/api/v1/workflows/a\u0000b"));
    }

    @Test
    void ordinaryTargetsArePlainAndAnythingThatNeedsDecodingIsNot() {
        assertTrue(RequestTargets.isPlain("/api/v1/workflows/order-intake/executions?limit=20&status=running"));
        assertTrue(RequestTargets.isPlain("/"));
        for (String target : List.of("", "*", "api/v1", "//evil/x", "/a%20b", "/a b", "/a{b", "/a#b", "/a\u0000b",
                "/caf\u00e9", "/a\\b", "/a?q=%FF", "http://host/a")) {
            assertFalse(RequestTargets.isPlain(target), target);
        }
    }

    /**
     * The fast path's promise: every check of a request's text, decoding every part, finds nothing wrong with a plain
     * target, and {@link URI} parses it. Random targets over an alphabet that also holds characters a plain target
     * must not have, so that a fast path admitting one of them fails here.
     */
    @Test
    void everyCheckPassesEveryPlainTarget() throws URISyntaxException {
        String alphabet = "aZ09-._~!$&'()*+,;=:@/?" + "%{} #\u0000\u007f\u00e9\\|^`[]\"<>";
        Random random = new Random(18);
        int plain = 0;
        for (int n = 0; n < 50_000; n++) {
            StringBuilder target = new StringBuilder("/");
            int length = random.nextInt(12);
            for (int i = 0; i < length; i++) {
                target.append(alphabet.charAt(random.nextInt(random.nextInt(4) == 0 ? alphabet.length() : 23)));
            }
            String t = target.toString();
            if (!RequestTargets.isPlain(t)) {
                continue;
            }
            plain++;
            assertEquals(java.util.Optional.empty(), RequestTargets.decodedFault(t), t);
            assertEquals(List.of(), MalformedQueryProblems.decodedProblems(t), t);
            assertEquals(List.of(), RequestTextFilter.decodedProblems(t), t);
            new URI(t);
        }
        assertTrue(plain > 10_000, "too few plain targets drawn to mean anything: " + plain);
    }

    private static String field(String target) {
        return RequestTargets.firstFault(target).orElseThrow().field();
    }
}
