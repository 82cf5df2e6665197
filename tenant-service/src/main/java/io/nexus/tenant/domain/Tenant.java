package io.nexus.tenant.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** A tenant: everything it owns is invisible to the others. Quota columns hold overrides of its plan's defaults. */
@Entity
@Table(name = "tenant")
public class Tenant {

    @Id
    public UUID id;

    public String name;

    @Convert(converter = TenantStatusConverter.class)
    public TenantStatus status;

    public String plan;

    @Column(name = "quota_workflows")
    public Long quotaWorkflows;

    @Column(name = "quota_executions_per_day")
    public Long quotaExecutionsPerDay;

    @Column(name = "quota_api_calls_per_minute")
    public Long quotaApiCallsPerMinute;

    @Column(name = "quota_concurrent_sessions")
    public Long quotaConcurrentSessions;

    @Column(name = "quota_concurrent_executions")
    public Long quotaConcurrentExecutions;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Column(name = "deleted_at")
    public Instant deletedAt;

    @Version
    public long version;

    public Long override(QuotaName quota) {
        return switch (quota) {
            case WORKFLOWS -> quotaWorkflows;
            case EXECUTIONS_PER_DAY -> quotaExecutionsPerDay;
            case API_CALLS_PER_MINUTE -> quotaApiCallsPerMinute;
            case CONCURRENT_SESSIONS -> quotaConcurrentSessions;
            case CONCURRENT_EXECUTIONS -> quotaConcurrentExecutions;
        };
    }

    /** Sets the override of {@code quota}; null returns it to the plan's default. */
    public void override(QuotaName quota, Long value) {
        switch (quota) {
            case WORKFLOWS -> quotaWorkflows = value;
            case EXECUTIONS_PER_DAY -> quotaExecutionsPerDay = value;
            case API_CALLS_PER_MINUTE -> quotaApiCallsPerMinute = value;
            case CONCURRENT_SESSIONS -> quotaConcurrentSessions = value;
            case CONCURRENT_EXECUTIONS -> quotaConcurrentExecutions = value;
        }
    }
}
