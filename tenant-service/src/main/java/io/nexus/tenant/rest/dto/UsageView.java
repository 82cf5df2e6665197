package io.nexus.tenant.rest.dto;

import java.time.Instant;

/** A tenant's current counters against its quotas (docs/api.md §4). */
public record UsageView(String tenantId, Instant at, Counter workflows, Counter executionsPerDay,
        Counter apiCallsPerMinute, Counter concurrentSessions, Counter concurrentExecutions) {

    public record Counter(long used, long limit) {
    }
}
