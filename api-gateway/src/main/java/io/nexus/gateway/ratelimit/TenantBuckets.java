package io.nexus.gateway.ratelimit;

/** Where a tenant's token bucket lives in Redis; both modes, and so every replica whatever its mode, use the same. */
final class TenantBuckets {

    private TenantBuckets() {
    }

    static String bucketKey(String prefix, String tenantId) {
        return prefix + "ratelimit:" + tenantId;
    }
}
