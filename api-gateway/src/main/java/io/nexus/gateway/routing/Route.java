package io.nexus.gateway.routing;

import java.util.regex.Pattern;

import io.nexus.common.identity.Permission;

/**
 * One route of the public API: its template (the metric label, never a raw id), the service that serves it, who may
 * call it and how long the gateway waits.
 */
public record Route(String template, Pattern pattern, String service, Access access, Timeout timeout) {

    /** Who may call a route. */
    public enum Access {
        /** {@code /api/v1/tenants/**}: the platform admin, and tenant keys (tenant-service scopes them to their own). */
        TENANTS,
        /** Everything else: tenant keys only, by the role table (reads for viewers, changes for developers). */
        TENANT_SCOPED
    }

    /** Which idle timeout applies. */
    public enum Timeout {
        DEFAULT, EXECUTION_START, STREAM
    }

    public static Route of(String template, String service, Access access, Timeout timeout) {
        String regex = template.replaceAll("\\{[^/]+}", "[^/]+");
        return new Route(template, Pattern.compile(regex), service, access, timeout);
    }

    public boolean matches(String path) {
        return pattern.matcher(path).matches();
    }

    /** The permission a tenant key needs for {@code method} on a tenant-scoped route. */
    public static Permission permissionFor(String method) {
        return switch (method) {
            case "GET", "HEAD", "OPTIONS" -> Permission.READ;
            default -> Permission.WRITE;
        };
    }
}
