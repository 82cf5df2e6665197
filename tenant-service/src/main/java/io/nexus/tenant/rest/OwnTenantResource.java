package io.nexus.tenant.rest;

import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.nexus.common.identity.CallerIdentity;
import io.nexus.common.identity.CurrentCaller;
import io.nexus.common.identity.Permission;
import io.nexus.tenant.rest.dto.OwnTenantView;
import io.nexus.tenant.service.TenantService;
import io.smallrye.mutiny.Uni;

/** {@code GET /api/v1/tenant}: the tenant of the calling key, and the key's id and role. */
@Path("/api/v1/tenant")
@Produces(MediaType.APPLICATION_JSON)
public class OwnTenantResource {

    private final TenantService tenants;
    private final CurrentCaller caller;

    public OwnTenantResource(TenantService tenants, CurrentCaller caller) {
        this.tenants = tenants;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "Read the caller's own tenant")
    public Uni<OwnTenantView> get() {
        caller.require(Permission.READ);
        CallerIdentity identity = caller.identity();
        return tenants.get(identity, UUID.fromString(caller.tenantId())).map(tenant -> new OwnTenantView(tenant,
                new OwnTenantView.Caller(identity.keyId(), identity.role().wire())));
    }
}
