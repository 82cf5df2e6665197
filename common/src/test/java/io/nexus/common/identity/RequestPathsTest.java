package io.nexus.common.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class RequestPathsTest {

    @Test
    void pathsWhoseNormalisedFormHasOtherSegmentsAreRefused() {
        for (String path : new String[] {"/internal/%2e%2e/api/v1/x", "/internal/%2E./x", "/a/../b", "/a/./b", "/a/..",
                "/a/.", "/a%2fb", "/a%2Fb", "/a%5cb", "/a\\b", "/x/%2e"}) {
            assertEquals("path", RequestPaths.pathError(path) == null ? null : RequestPaths.pathError(path).field(),
                    path);
        }
    }

    @Test
    void nulControlCharactersAndMalformedEscapesInThePathAreRefused() {
        for (String path : new String[] {"/w/a%00b", "/w/a%1f", "/w/a%7F", "/w/a%ZZ", "/w/a%4", "/w/a%"}) {
            assertEquals("path", RequestPaths.pathError(path).field(), path);
        }
    }

    @Test
    void ordinaryPathsPass() {
        for (String path : new String[] {"/", "/api/v1/workflows", "/api/v1/workflows/a%20b", "/w/caf%C3%A9", "/w/a.b",
                "/w/...", "/w/.hidden", "/w/a..b"}) {
            assertNull(RequestPaths.pathError(path), path);
        }
    }

    @Test
    void queriesNameTheParameterWithTheBrokenOrControlEscape() {
        assertEquals("cursor", RequestPaths.queryError("cursor=%ZZ").field());
        assertEquals("cursor", RequestPaths.queryError("limit=5&cursor=a%00b").field());
        assertEquals("q", RequestPaths.targetQueryError("/w?q=%4").field());
        assertEquals("query", RequestPaths.queryError("=%00").field());
        assertNull(RequestPaths.queryError("q=caf%C3%A9&cursor=x%2Fy&flag"));
        assertNull(RequestPaths.queryError(null));
        assertNull(RequestPaths.targetQueryError("/w/a%ZZ"), "a path has no query");
    }
}
