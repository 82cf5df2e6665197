package io.nexus.common.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    private static String field(String target) {
        return RequestTargets.firstFault(target).orElseThrow().field();
    }
}
