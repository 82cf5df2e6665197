package io.nexus.workflow.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.nexus.workflow.client.SessionServiceException;
import io.nexus.workflow.domain.ExecutionError;
import io.nexus.workflow.domain.ExecutionMode;
import io.nexus.workflow.domain.ExecutionRecord;
import io.nexus.workflow.domain.ExecutionStatus;

/** What each answer of session-service makes of a session node's attempt (docs/api.md §5.5, §5.9). */
class SessionCallsTest {

    private static final ExecutionRecord EXECUTION = new ExecutionRecord(UUID.randomUUID(), UUID.randomUUID(), "w",
            UUID.randomUUID(), 1, ExecutionStatus.RUNNING, ExecutionMode.SYNC, "mcp", "sess-9", null, null, null,
            Instant.EPOCH, Instant.EPOCH, Instant.EPOCH, null);

    @Test
    void aSessionThatIsGoneIsNotFound() {
        assertEquals(new ExecutionError(ExecutionError.NOT_FOUND,
                "the session sess-9 has expired, was closed or does not exist", null), errorFor(
                        SessionServiceException.ofStatus(404)));
    }

    @Test
    void aMergeOverTheSizeLimitIsLimit() {
        assertEquals(new ExecutionError(ExecutionError.LIMIT,
                "the session's data would exceed 64 KiB after the merge; nothing was stored", null), errorFor(
                        SessionServiceException.ofStatus(413)));
    }

    @Test
    void everyOtherFailureIsUnavailable() {
        assertEquals(new ExecutionError(ExecutionError.UNAVAILABLE, "session-service answered 503", null),
                errorFor(SessionServiceException.ofStatus(503)));
        assertEquals(new ExecutionError(ExecutionError.UNAVAILABLE, "session-service refused the call with 403",
                null), errorFor(SessionServiceException.ofStatus(403)));
        assertEquals(new ExecutionError(ExecutionError.UNAVAILABLE,
                "session-service did not answer within 2000 ms", null), errorFor(
                        SessionServiceException.unavailable("session-service did not answer within 2000 ms")));
        assertEquals(new ExecutionError(ExecutionError.UNAVAILABLE,
                "session-service could not be reached (IllegalStateException)", null), errorFor(
                        new IllegalStateException("connection to 10.0.0.7 refused")));
    }

    private static ExecutionError errorFor(Throwable failure) {
        return SessionCalls.failure(failure, EXECUTION).error();
    }
}
