package io.nexus.tenant.service;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.nexus.events.tenant.Quotas;
import io.nexus.tenant.config.TenantConfig;
import io.nexus.tenant.domain.QuotaName;
import io.nexus.tenant.domain.Tenant;

/** The configured plans and the effective quotas of a tenant: its plan's defaults with its overrides applied. */
@ApplicationScoped
public class Plans {

    private final TenantConfig config;

    public Plans(TenantConfig config) {
        this.config = config;
        if (!config.plans().containsKey(config.defaultPlan())) {
            throw new IllegalStateException("the default plan '" + config.defaultPlan() + "' is not configured");
        }
    }

    public boolean exists(String plan) {
        return config.plans().containsKey(plan);
    }

    public List<String> names() {
        return config.plans().keySet().stream().sorted().toList();
    }

    public String defaultPlan() {
        return config.defaultPlan();
    }

    public Quotas effective(Tenant tenant) {
        TenantConfig.PlanQuotas plan = config.plans().get(tenant.plan);
        return new Quotas(
                or(tenant.override(QuotaName.WORKFLOWS), plan.workflows()),
                or(tenant.override(QuotaName.EXECUTIONS_PER_DAY), plan.executionsPerDay()),
                or(tenant.override(QuotaName.API_CALLS_PER_MINUTE), plan.apiCallsPerMinute()),
                or(tenant.override(QuotaName.CONCURRENT_SESSIONS), plan.concurrentSessions()),
                or(tenant.override(QuotaName.CONCURRENT_EXECUTIONS), plan.concurrentExecutions()));
    }

    private static long or(Long override, long planDefault) {
        return override != null ? override : planDefault;
    }
}
