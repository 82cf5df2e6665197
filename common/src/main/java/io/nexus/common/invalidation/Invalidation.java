package io.nexus.common.invalidation;

/**
 * A message on the Redis pub/sub channel through which tenant-service tells every gateway replica, in the same request
 * as the change, to forget what it cached about a key or a tenant (docs/api.md §4: in force within 1 second). The
 * {@code nexus.tenants} events are the backstop when pub/sub is missed.
 *
 * @param kind     {@code apikey} (one key revoked) or {@code tenant} (suspended, changed, deleted: all its keys)
 * @param tenantId the tenant concerned
 * @param keyId    the key concerned, for {@code apikey}
 */
public record Invalidation(String kind, String tenantId, String keyId) {

    public static final String DEFAULT_CHANNEL = "nexus:gateway:invalidations";
    public static final String API_KEY = "apikey";
    public static final String TENANT = "tenant";

    public static Invalidation apiKey(String tenantId, String keyId) {
        return new Invalidation(API_KEY, tenantId, keyId);
    }

    public static Invalidation tenant(String tenantId) {
        return new Invalidation(TENANT, tenantId, null);
    }
}
