package io.nexus.marketplace.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.nexus.common.identity.CallerIdentity;
import io.nexus.common.identity.CurrentCaller;
import io.nexus.common.identity.Permission;
import io.nexus.marketplace.rest.dto.InstallView;
import io.nexus.marketplace.service.InstallService;
import io.smallrye.mutiny.Uni;

/**
 * Installs (docs/api.md §4.6), as their installer follows them: only its own tenant sees an install (another tenant's
 * is 404, like an unknown one). {@link ItemInstallResource} asks for them.
 */
@Path("/api/v1/marketplace/installs")
@Produces(MediaType.APPLICATION_JSON)
public class InstallResource {

    static final String INSTALLS = "/api/v1/marketplace/installs/";

    private final InstallService installs;
    private final CurrentCaller caller;

    public InstallResource(InstallService installs, CurrentCaller caller) {
        this.installs = installs;
        this.caller = caller;
    }

    @GET
    @Path("{installId}")
    @Operation(summary = "Read one of the tenant's installs: pending, completed or failed (with the reason)")
    public Uni<InstallView> get(@PathParam("installId") String installId) {
        CallerIdentity reader = caller.require(Permission.READ);
        caller.tenantId();
        return installs.get(reader, MarketplaceRequests.installId(installId));
    }
}
