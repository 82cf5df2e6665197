package io.nexus.workflow.domain;

/** The quotas this service enforces, from the tenant projection (or the plan defaults before it has the tenant). */
public record TenantQuotas(long workflows, long executionsPerDay, long concurrentExecutions) {
}
