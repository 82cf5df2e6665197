package io.nexus.tenant.service;

/** Names of the usage counters kept per tenant. */
public final class UsageCounters {

    public static final String WORKFLOWS = "workflows";
    public static final String EXECUTIONS = "executions";
    public static final String CONCURRENT_EXECUTIONS = "concurrentExecutions";
    public static final String CONCURRENT_SESSIONS = "concurrentSessions";

    private UsageCounters() {
    }
}
