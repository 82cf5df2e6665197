package io.nexus.gateway.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import io.nexus.gateway.health.PlatformHealth;
import io.nexus.gateway.health.PlatformHealthService;
import io.smallrye.mutiny.Uni;

/**
 * {@code GET /health}, the runbook's first check: 200 while every service is ready (Kafka may be degraded), 503 as
 * soon as one is not. Unauthenticated, like the probes; it names services and dependencies, never addresses.
 */
@Path("/health")
public class HealthResource {

    private final PlatformHealthService health;

    public HealthResource(PlatformHealthService health) {
        this.health = health;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Aggregated health of the gateway and every service behind it")
    @APIResponse(responseCode = "200", description = "Every service is ready (Kafka may be degraded)",
            content = @Content(schema = @Schema(implementation = PlatformHealth.class)))
    @APIResponse(responseCode = "503", description = "At least one service is not ready",
            content = @Content(schema = @Schema(implementation = PlatformHealth.class)))
    public Uni<Response> health() {
        return health.check().map(platform -> Response
                .status(platform.isServing() ? Response.Status.OK : Response.Status.SERVICE_UNAVAILABLE)
                .header("Cache-Control", "no-store")
                .entity(platform)
                .build());
    }
}
