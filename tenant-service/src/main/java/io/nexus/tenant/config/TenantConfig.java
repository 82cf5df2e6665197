package io.nexus.tenant.config;

import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Plans, key issuance and cache invalidation of tenant-service. */
@ConfigMapping(prefix = "nexus.tenant")
public interface TenantConfig {

    /** Plans by name with their default quotas; a tenant keeps its plan's defaults except where it overrides them. */
    Map<String, PlanQuotas> plans();

    /** The plan of a tenant created without one (docs/api.md §4: standard). */
    @WithDefault("standard")
    String defaultPlan();

    /** Longest lifetime a key may be given, in days. */
    @WithDefault("3650")
    int maxKeyLifetimeDays();

    /** Redis pub/sub channel on which the gateways hear about revoked keys and changed tenants at once. */
    @WithDefault(io.nexus.common.invalidation.Invalidation.DEFAULT_CHANNEL)
    String invalidationChannel();

    /** Prefix of the Redis keys where the gateways meter API calls (their nexus.gateway.rate-limit.key-prefix). */
    @WithDefault(io.nexus.common.metering.ApiCallMetering.DEFAULT_PREFIX)
    String meteringKeyPrefix();

    interface PlanQuotas {
        long workflows();

        long executionsPerDay();

        long apiCallsPerMinute();

        long concurrentSessions();

        long concurrentExecutions();
    }
}
