package io.nexus.common.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class RequestIdsTest {

    @Test
    void generatedIdsAreDistinctVersion4Uuids() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = RequestIds.acceptOrGenerate(null);
            UUID uuid = UUID.fromString(id);
            assertEquals(4, uuid.version(), id);
            assertEquals(2, uuid.variant(), id);
            assertEquals(uuid.toString(), id);
            seen.add(id);
        }
        assertEquals(10_000, seen.size());
    }

    @Test
    void aSaneOfferedIdIsKeptAndAnythingElseReplaced() {
        assertEquals("req-42.a:b_c", RequestIds.acceptOrGenerate("req-42.a:b_c"));
        String replaced = RequestIds.acceptOrGenerate("two words\r\nX-Injected: yes");
        assertNotEquals("two words\r\nX-Injected: yes", replaced);
        assertEquals(4, UUID.fromString(replaced).version());
        assertEquals(4, UUID.fromString(RequestIds.acceptOrGenerate("x".repeat(129))).version());
    }
}
