package io.nexus.common.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ProblemExceptionTest {

    @Test
    void every503SaysWhenToComeBack() {
        assertEquals(Map.of("Retry-After", "1"),
                new ProblemException(ProblemType.SERVICE_UNAVAILABLE, "sessions cannot be checked").headers());
    }

    @Test
    void aChosenDelayIsKept() {
        assertEquals(Map.of("retry-after", "5"), new ProblemException(ProblemType.SERVICE_UNAVAILABLE, "open circuit",
                List.of(), Map.of("retry-after", "5")).headers());
    }

    @Test
    void otherProblemsGetNoRetryAfterTheyDidNotAskFor() {
        assertEquals(Map.of(), new ProblemException(ProblemType.NOT_FOUND, "no such thing").headers());
        assertEquals(Map.of(), new ProblemException(ProblemType.INTERNAL, "bug").headers());
    }
}
