package io.nexus.events.tenant;

/** A tenant's effective quotas (plan defaults with its overrides applied), as services project them. */
public record Quotas(long workflows, long executionsPerDay, long apiCallsPerMinute, long concurrentSessions,
        long concurrentExecutions) {
}
