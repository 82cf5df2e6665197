package io.nexus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ExitCodesTest {

    @Test
    void mapsAuthenticationAndRoleRefusalsToThree() {
        assertEquals(3, ExitCodes.forHttpStatus(401));
        assertEquals(3, ExitCodes.forHttpStatus(403));
    }

    @Test
    void mapsNotFoundToFour() {
        assertEquals(4, ExitCodes.forHttpStatus(404));
    }

    @Test
    void mapsConflictsPreconditionsAndQuotasToFive() {
        assertEquals(5, ExitCodes.forHttpStatus(409));
        assertEquals(5, ExitCodes.forHttpStatus(412));
        assertEquals(5, ExitCodes.forHttpStatus(429));
    }

    @Test
    void mapsInvalidRequestsToUsage() {
        for (int status : new int[] {400, 405, 413, 415, 422}) {
            assertEquals(2, ExitCodes.forHttpStatus(status), "status " + status);
        }
    }

    @Test
    void mapsServerErrorsToSix() {
        for (int status : new int[] {500, 502, 503, 504}) {
            assertEquals(6, ExitCodes.forHttpStatus(status), "status " + status);
        }
    }
}
