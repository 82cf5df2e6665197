package io.nexus.gateway.routing;

import java.util.List;

import io.nexus.common.identity.Permission;

/**
 * One route of the public API: its template (the metric label, never a raw id), the service that serves it, who may
 * call it and how long the gateway waits.
 */
public record Route(String template, List<String> segments, String service, Access access, Timeout timeout) {

    /** Who may call a route. */
    public enum Access {
        /** {@code /api/v1/tenants/**}: the platform admin, and tenant keys (tenant-service scopes them to their own). */
        TENANTS,
        /** Everything else: tenant keys only, by the role table (reads for viewers, changes for developers). */
        TENANT_SCOPED,
        /**
         * {@code /mcp}: tenant keys of any role. Every MCP call is a POST, so the role table is applied per tool by the
         * MCP server (a viewer lists and reads, and may not run); the channel is always {@code mcp}.
         */
        MCP
    }

    /** Which idle timeout applies. */
    public enum Timeout {
        DEFAULT, EXECUTION_START, STREAM
    }

    public static Route of(String template, String service, Access access, Timeout timeout) {
        if (!template.startsWith("/")) {
            throw new IllegalArgumentException("a route template starts with /: " + template);
        }
        return new Route(template, List.of(template.substring(1).split("/", -1)), service, access, timeout);
    }

    /**
     * Whether {@code path} is this route: the same number of segments, each equal to the template's, where a
     * {@code {parameter}} segment takes any non-empty segment. Compared in place, without a regular expression or
     * any allocation: every request is matched against the table.
     */
    public boolean matches(String path) {
        int length = path.length();
        int position = 0;
        for (int i = 0; i < segments.size(); i++) {
            if (position >= length || path.charAt(position) != '/') {
                return false;
            }
            position++;
            int end = path.indexOf('/', position);
            if (end < 0) {
                end = length;
            }
            String segment = segments.get(i);
            if (isParameter(segment)) {
                if (end == position) {
                    return false;
                }
            } else if (end - position != segment.length()
                    || !path.regionMatches(position, segment, 0, segment.length())) {
                return false;
            }
            position = end;
        }
        return position == length;
    }

    private static boolean isParameter(String segment) {
        return segment.length() > 1 && segment.charAt(0) == '{' && segment.charAt(segment.length() - 1) == '}';
    }

    /** The permission a tenant key needs for {@code method} on a tenant-scoped route. */
    public static Permission permissionFor(String method) {
        return switch (method) {
            case "GET", "HEAD", "OPTIONS" -> Permission.READ;
            default -> Permission.WRITE;
        };
    }
}
