package io.nexus.gateway.routing;

import jakarta.inject.Singleton;

import static io.nexus.gateway.routing.Route.Access.MCP;
import static io.nexus.gateway.routing.Route.Access.TENANTS;
import static io.nexus.gateway.routing.Route.Access.TENANT_SCOPED;
import static io.nexus.gateway.routing.Route.Timeout.DEFAULT;
import static io.nexus.gateway.routing.Route.Timeout.EXECUTION_START;
import static io.nexus.gateway.routing.Route.Timeout.STREAM;

import java.util.List;
import java.util.Optional;


/**
 * The public REST API of docs/api.md §4, MCP at {@code /mcp}, and the service behind each route. The gateway routes by path without rewriting
 * it and never routes {@code /internal}; a path that is not here is a 404 at the gateway.
 */
@Singleton
public class RouteTable {

    private static final String TENANT = "tenant-service";
    private static final String WORKFLOW = "workflow-service";
    private static final String SESSION = "session-service";
    private static final String MARKETPLACE = "marketplace-service";

    private final List<Route> routes = List.of(
            Route.of("/api/v1/tenants", TENANT, TENANTS, DEFAULT),
            Route.of("/api/v1/tenants/{id}", TENANT, TENANTS, DEFAULT),
            Route.of("/api/v1/tenants/{id}/api-keys", TENANT, TENANTS, DEFAULT),
            Route.of("/api/v1/tenants/{id}/api-keys/{keyId}", TENANT, TENANTS, DEFAULT),
            Route.of("/api/v1/tenants/{id}/usage", TENANT, TENANTS, DEFAULT),
            Route.of("/api/v1/tenant", TENANT, TENANT_SCOPED, DEFAULT),
            Route.of("/api/v1/workflows", WORKFLOW, TENANT_SCOPED, DEFAULT),
            Route.of("/api/v1/workflows/{name}", WORKFLOW, TENANT_SCOPED, DEFAULT),
            Route.of("/api/v1/workflows/{name}/executions", WORKFLOW, TENANT_SCOPED, EXECUTION_START),
            Route.of("/api/v1/executions", WORKFLOW, TENANT_SCOPED, DEFAULT),
            Route.of("/api/v1/executions/{id}", WORKFLOW, TENANT_SCOPED, DEFAULT),
            Route.of("/api/v1/executions/{id}/cancel", WORKFLOW, TENANT_SCOPED, DEFAULT),
            Route.of("/api/v1/executions/{id}/signals/{name}", WORKFLOW, TENANT_SCOPED, DEFAULT),
            Route.of("/api/v1/executions/{id}/events", WORKFLOW, TENANT_SCOPED, STREAM),
            // Tenant secrets (docs/api.md §4.8): write-only values for http nodes.
            Route.of("/api/v1/secrets", WORKFLOW, TENANT_SCOPED, DEFAULT),
            Route.of("/api/v1/secrets/{name}", WORKFLOW, TENANT_SCOPED, DEFAULT),
            Route.of("/api/v1/sessions", SESSION, TENANT_SCOPED, DEFAULT),
            Route.of("/api/v1/sessions/{id}", SESSION, TENANT_SCOPED, DEFAULT),
            Route.of("/api/v1/sessions/{id}/executions", SESSION, TENANT_SCOPED, DEFAULT),
            Route.of("/api/v1/marketplace/items", MARKETPLACE, TENANT_SCOPED, DEFAULT),
            Route.of("/api/v1/marketplace/items/{id}", MARKETPLACE, TENANT_SCOPED, DEFAULT),
            Route.of("/api/v1/marketplace/items/{id}/versions", MARKETPLACE, TENANT_SCOPED, DEFAULT),
            Route.of("/api/v1/marketplace/items/{id}/versions/{version}", MARKETPLACE, TENANT_SCOPED, DEFAULT),
            Route.of("/api/v1/marketplace/items/{id}/versions/{version}/yank", MARKETPLACE, TENANT_SCOPED, DEFAULT),
            Route.of("/api/v1/marketplace/items/{id}/install", MARKETPLACE, TENANT_SCOPED, DEFAULT),
            Route.of("/api/v1/marketplace/items/{id}/reviews", MARKETPLACE, TENANT_SCOPED, DEFAULT),
            Route.of("/api/v1/marketplace/installs/{installId}", MARKETPLACE, TENANT_SCOPED, DEFAULT),
            // MCP (docs/api.md §4.7): served by workflow-service; its responses may be SSE streams that stay open.
            Route.of("/mcp", WORKFLOW, MCP, STREAM));

    public Optional<Route> match(String path) {
        for (Route route : routes) {
            if (route.matches(path)) {
                return Optional.of(route);
            }
        }
        return Optional.empty();
    }

    public List<Route> routes() {
        return routes;
    }
}
