package io.nexus.common.paging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.nexus.common.problem.FieldError;
import io.nexus.common.problem.ProblemException;

class PageRequestTest {

    @Test
    void reportsABadLimitAndABadCursorTogether() {
        ProblemException problem = assertThrows(ProblemException.class, () -> PageRequest.parse("0", "zzz"));
        assertEquals(List.of("limit", "cursor"), fields(problem));
    }

    @Test
    void aCursorThatDecodesToNoIdIsRefusedAtParseTime() {
        String notAnId = PageRequest.cursorFor("not-a-uuid");
        assertEquals(List.of("cursor"), fields(assertThrows(ProblemException.class,
                () -> PageRequest.parse("5", notAnId))));
    }

    @Test
    void anIssuedCursorRoundTrips() {
        UUID id = UUID.randomUUID();
        PageRequest page = PageRequest.parse("5", PageRequest.cursorFor(id.toString()));
        assertEquals(id, page.afterUuid());
        assertEquals(5, page.limit());
    }

    @Test
    void aListWithItsOwnKeyValidatesThatKeyInTheSameParse() {
        PageRequest.CursorKey<Instant> timestamps = Instant::parse;
        assertEquals(List.of("limit", "cursor"), fields(assertThrows(ProblemException.class,
                () -> PageRequest.parse("101", PageRequest.cursorFor("yesterday"), timestamps))));
        Instant now = Instant.parse("2026-01-02T03:04:05Z");
        assertEquals(now, PageRequest.parse(null, PageRequest.cursorFor(now.toString()), timestamps)
                .afterKey(timestamps));
    }

    @Test
    void aCursorCarryingNulIsRefused() {
        assertEquals(List.of("cursor"), fields(assertThrows(ProblemException.class,
                () -> PageRequest.parse(null, PageRequest.cursorFor("a\u0000b"), key -> key))));
    }

    private static List<String> fields(ProblemException problem) {
        return problem.toProblem(null).errors().stream().map(FieldError::field).toList();
    }
}
