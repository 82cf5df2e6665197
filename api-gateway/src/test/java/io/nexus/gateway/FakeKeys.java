package io.nexus.gateway;

import java.time.Instant;
import java.util.UUID;

import io.nexus.common.identity.ApiKeyHash;
import io.vertx.core.json.JsonObject;

/** Keys the fake tenant-service knows, with the answer it gives for each. */
final class FakeKeys {

    private FakeKeys() {
    }

    record Key(String key, String keyId, String tenantId) {
    }

    static Key register(String role, boolean suspended, long apiCallsPerMinute, Instant expiresAt) {
        return register(UUID.randomUUID().toString(), role, suspended, apiCallsPerMinute, expiresAt);
    }

    static Key register(String tenantId, String role, boolean suspended, long apiCallsPerMinute, Instant expiresAt) {
        String key = "nxk_" + UUID.randomUUID().toString().replace("-", "") + "abcdefghijk";
        String keyId = UUID.randomUUID().toString();
        FakeServices.KEYS.put(sha256(key), new JsonObject()
                .put("keyId", keyId)
                .put("tenantId", tenantId)
                .put("role", role)
                .put("tenantStatus", suspended ? "suspended" : "active")
                .put("quotas", new JsonObject().put("workflows", 1000).put("executionsPerDay", 100000)
                        .put("apiCallsPerMinute", apiCallsPerMinute).put("concurrentSessions", 1000)
                        .put("concurrentExecutions", 100))
                .put("expiresAt", expiresAt == null ? null : expiresAt.toString()));
        return new Key(key, keyId, tenantId);
    }

    static void forget(Key key) {
        FakeServices.KEYS.remove(sha256(key.key()));
    }

    static String sha256(String key) {
        return ApiKeyHash.hex(key);
    }
}
