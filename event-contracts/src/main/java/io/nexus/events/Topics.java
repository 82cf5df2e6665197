package io.nexus.events;

/** The Kafka topics of docs/api.md §6. */
public final class Topics {

    public static final String TENANTS = "nexus.tenants";
    public static final String WORKFLOWS = "nexus.workflows";
    public static final String EXECUTIONS = "nexus.executions";
    public static final String SESSIONS = "nexus.sessions";
    public static final String MARKETPLACE = "nexus.marketplace";

    private static final String INTEGRATION_PREFIX = "nexus.integration.";

    private Topics() {
    }

    /** The only topic a tenant's integrations read: what that tenant's {@code event} nodes publish. */
    public static String integration(String tenantId) {
        return INTEGRATION_PREFIX + tenantId;
    }
}
