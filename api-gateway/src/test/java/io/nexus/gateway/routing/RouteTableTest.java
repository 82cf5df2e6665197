package io.nexus.gateway.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class RouteTableTest {

    private final RouteTable table = new RouteTable();

    private String templateOf(String path) {
        return table.match(path).map(Route::template).orElse(null);
    }

    @Test
    void everyTemplateMatchesItselfWithParametersFilledIn() {
        for (Route route : table.routes()) {
            String path = route.template().replaceAll("\\{[^/]+}", "x-1_2.3");
            assertEquals(route.template(), templateOf(path), path);
        }
    }

    @Test
    void pathsAreMatchedSegmentBySegment() {
        assertEquals("/api/v1/tenant", templateOf("/api/v1/tenant"));
        assertEquals("/api/v1/tenants", templateOf("/api/v1/tenants"));
        assertEquals("/api/v1/tenants/{id}", templateOf("/api/v1/tenants/0195f3c2-7d1e-7000-8000-000000000001"));
        assertEquals("/api/v1/tenants/{id}/api-keys/{keyId}", templateOf("/api/v1/tenants/a/api-keys/b"));
        assertEquals("/api/v1/executions/{id}/signals/{name}", templateOf("/api/v1/executions/e/signals/approve"));
        assertEquals("/api/v1/workflows/{name}/executions", templateOf("/api/v1/workflows/order-intake/executions"));
    }

    @Test
    void secretsGoToWorkflowServiceForATenantsCaller() {
        for (String path : new String[] {"/api/v1/secrets", "/api/v1/secrets/API_TOKEN"}) {
            Route route = table.match(path).orElseThrow(() -> new AssertionError(path + " is not routed"));
            assertEquals("workflow-service", route.service(), path);
            assertEquals(Route.Access.TENANT_SCOPED, route.access(), path);
        }
        assertTrue(table.match("/api/v1/secrets/a/b").isEmpty());
    }

    @Test
    void nearMissesAreNotRoutes() {
        for (String path : new String[] {"", "/", "/api", "/api/v1", "/api/v1/", "/api/v1/tenant/", "/api/v1/tenants/",
                "/api/v1/tenants//api-keys", "/api/v1/tenantsx", "/api/v1/tenan", "/api/v1/tenants/a/b",
                "/api/v1/workflows/a/executions/b", "api/v1/tenant", "//api/v1/tenant", "/api/v2/tenant",
                "/internal/api-keys/resolve", "/api/v1/tenants/a/api-keys/", "/API/v1/tenant"}) {
            Optional<Route> route = table.match(path);
            assertTrue(route.isEmpty(), path + " matched " + route.map(Route::template).orElse(""));
        }
    }
}
