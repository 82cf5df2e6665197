package io.nexus.common.metering;

/**
 * Where the gateways count each tenant's admitted API calls per minute (Redis, written in the same atomic step as the
 * rate-limit decision) and where tenant-service reads them for usage. The key format exists once, here.
 */
public final class ApiCallMetering {

    public static final String DEFAULT_PREFIX = "nexus:";

    private ApiCallMetering() {
    }

    public static String key(String prefix, String tenantId, long epochMinute) {
        return prefix + "usage:" + tenantId + ":calls:" + epochMinute;
    }
}
