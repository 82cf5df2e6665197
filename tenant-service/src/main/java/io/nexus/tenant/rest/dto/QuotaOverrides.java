package io.nexus.tenant.rest.dto;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.PositiveOrZero;

/** Quotas a tenant sets apart from its plan's defaults; an absent (or, in a patch, null) quota follows the plan. */
public record QuotaOverrides(
        @PositiveOrZero @Max(QuotaOverrides.MAX) Long workflows,
        @PositiveOrZero @Max(QuotaOverrides.MAX) Long executionsPerDay,
        @PositiveOrZero @Max(QuotaOverrides.MAX) Long apiCallsPerMinute,
        @PositiveOrZero @Max(QuotaOverrides.MAX) Long concurrentSessions,
        @PositiveOrZero @Max(QuotaOverrides.MAX) Long concurrentExecutions) {

    /** Far above any real need, low enough that no arithmetic on quotas overflows. */
    public static final long MAX = 1_000_000_000_000L;
}
