package io.nexus.workflow.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.nexus.workflow.client.SessionServiceException.Kind;

/** What the guard makes of session-service's error statuses: which are retried, which count against it. */
class SessionServiceExceptionTest {

    @Test
    void answersAboutTheSessionAreNeitherRetriedNorHeldAgainstSessionService() {
        for (int status : new int[] {404, 413}) {
            SessionServiceException answer = SessionServiceException.ofStatus(status);
            assertTrue(answer.isAboutTheSession(), "status " + status);
            assertFalse(answer.isTransient(), "status " + status);
        }
        assertEquals(Kind.GONE, SessionServiceException.ofStatus(404).kind());
        assertEquals(Kind.TOO_LARGE, SessionServiceException.ofStatus(413).kind());
    }

    @Test
    void serverErrorsAreRetriedAndCountAgainstSessionService() {
        for (int status : new int[] {500, 502, 503, 504}) {
            SessionServiceException answer = SessionServiceException.ofStatus(status);
            assertEquals(Kind.UNAVAILABLE, answer.kind());
            assertTrue(answer.isTransient(), "status " + status);
            assertFalse(answer.isAboutTheSession(), "status " + status);
        }
    }

    @Test
    void aRefusedCallIsNotRetriedButCountsAgainstSessionService() {
        for (int status : new int[] {400, 401, 403, 409}) {
            SessionServiceException answer = SessionServiceException.ofStatus(status);
            assertEquals(Kind.UNAVAILABLE, answer.kind());
            assertFalse(answer.isTransient(), "status " + status);
            assertFalse(answer.isAboutTheSession(), "status " + status);
        }
    }
}
