package io.nexus.tenant.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.nexus.common.identity.CallerIdentity;
import io.nexus.common.identity.Permission;
import io.nexus.common.metering.ApiCallMetering;
import io.nexus.common.problem.ProblemException;
import io.nexus.events.tenant.Quotas;
import io.nexus.tenant.config.TenantConfig;
import io.nexus.tenant.repository.TenantRepository;
import io.nexus.tenant.repository.UsageRepository;
import io.nexus.tenant.rest.dto.UsageView;
import io.nexus.tenant.rest.dto.UsageView.Counter;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Uni;

/**
 * A tenant's usage: counters kept from the services' events, and the API calls of the current minute as the gateways
 * metered them in Redis (0 when Redis cannot be read: usage is informational, limits are enforced at the gateway).
 */
@ApplicationScoped
public class UsageService {

    private static final Logger LOG = Logger.getLogger(UsageService.class);

    private final TenantRepository tenants;
    private final UsageRepository usage;
    private final Plans plans;
    private final ReactiveValueCommands<String, Long> redis;
    private final String meteringPrefix;
    private final Clock clock = Clock.systemUTC();

    public UsageService(TenantRepository tenants, UsageRepository usage, Plans plans, ReactiveRedisDataSource redis,
            TenantConfig config) {
        this.tenants = tenants;
        this.usage = usage;
        this.plans = plans;
        this.redis = redis.value(Long.class);
        this.meteringPrefix = config.meteringKeyPrefix();
    }

    @WithSession
    public Uni<UsageView> of(CallerIdentity caller, UUID tenantId) {
        TenantAccess.require(caller, tenantId, Permission.MANAGE);
        Instant now = clock.instant();
        return tenants.findLive(tenantId)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("no tenant '" + tenantId + "'"))
                .chain(tenant -> usage.read(tenantId, now.atOffset(ZoneOffset.UTC).toLocalDate())
                        .chain(counters -> apiCallsThisMinute(tenantId, now).map(calls ->
                                view(tenantId, now, plans.effective(tenant), counters, calls))));
    }

    private Uni<Long> apiCallsThisMinute(UUID tenantId, Instant now) {
        String key = ApiCallMetering.key(meteringPrefix, tenantId.toString(), now.toEpochMilli() / 60_000);
        return redis.get(key)
                .ifNoItem().after(Duration.ofMillis(500)).fail()
                .map(calls -> calls == null ? 0L : calls)
                .onFailure().recoverWithItem(failure -> {
                    LOG.debugf("API-call metering unavailable: %s", failure.getMessage());
                    return 0L;
                });
    }

    private static UsageView view(UUID tenantId, Instant now, Quotas quotas, Map<String, Long> counters, long calls) {
        return new UsageView(tenantId.toString(), now,
                new Counter(counters.getOrDefault(UsageCounters.WORKFLOWS, 0L), quotas.workflows()),
                new Counter(counters.getOrDefault(UsageCounters.EXECUTIONS, 0L), quotas.executionsPerDay()),
                new Counter(calls, quotas.apiCallsPerMinute()),
                new Counter(counters.getOrDefault(UsageCounters.CONCURRENT_SESSIONS, 0L), quotas.concurrentSessions()),
                new Counter(counters.getOrDefault(UsageCounters.CONCURRENT_EXECUTIONS, 0L),
                        quotas.concurrentExecutions()));
    }
}
