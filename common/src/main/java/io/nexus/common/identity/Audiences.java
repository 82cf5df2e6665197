package io.nexus.common.identity;

/**
 * The services an identity can be addressed to ({@code aud}): each one's {@code quarkus.application.name}, which is
 * what it verifies ({@link IdentityConfig#audience()}).
 */
public final class Audiences {

    public static final String TENANT_SERVICE = "tenant-service";
    public static final String WORKFLOW_SERVICE = "workflow-service";
    public static final String SESSION_SERVICE = "session-service";
    public static final String MARKETPLACE_SERVICE = "marketplace-service";

    private Audiences() {
    }
}
