package io.nexus.common.idempotency;

import java.time.Instant;
import java.util.Map;

/**
 * What the first request under a key left: the hash of its body, and its answer once it has one ({@code status} null
 * while it is in flight). {@code headers} holds the answer's Location, ETag and Content-Type.
 */
public record RememberedAnswer(String requestHash, Integer status, String body, Map<String, String> headers,
        Instant claimedAt) {

    public boolean answered() {
        return status != null;
    }
}
