package io.nexus.tenant.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.nexus.common.idempotency.IdempotencyScope;
import io.nexus.common.idempotency.IdempotentCreation;
import io.nexus.common.identity.CurrentCaller;
import io.nexus.common.ids.Ids;
import io.nexus.common.invalidation.Invalidation;
import io.nexus.common.paging.Page;
import io.nexus.common.paging.PageRequest;
import io.nexus.common.validation.MergePatch;
import io.nexus.tenant.rest.dto.CreateTenantRequest;
import io.nexus.tenant.rest.dto.TenantPatch;
import io.nexus.tenant.rest.dto.TenantView;
import io.nexus.tenant.service.Invalidations;
import io.nexus.tenant.service.TenantService;
import io.smallrye.mutiny.Uni;

/** Tenants, for the platform admin; a tenant's own keys may read their tenant here too. */
@Path("/api/v1/tenants")
@Produces(MediaType.APPLICATION_JSON)
public class TenantResource {

    private final TenantService tenants;
    private final Invalidations invalidations;
    private final CurrentCaller caller;
    private final IdempotentCreation idempotency;

    public TenantResource(TenantService tenants, Invalidations invalidations, CurrentCaller caller,
            IdempotentCreation idempotency) {
        this.tenants = tenants;
        this.invalidations = invalidations;
        this.caller = caller;
        this.idempotency = idempotency;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a tenant (platform admin)")
    public Uni<Response> create(CreateTenantRequest request,
            @HeaderParam(IdempotentCreation.HEADER) String idempotencyKey) {
        caller.requirePlatformAdmin();
        return idempotency.run(IdempotencyScope.post(IdempotencyScope.PLATFORM, "/api/v1/tenants"), idempotencyKey,
                request, () -> tenants.create(request).map(tenant -> Response.status(Response.Status.CREATED)
                        .header("Location", "/api/v1/tenants/" + tenant.id())
                        .entity(tenant)
                        .build()));
    }

    @GET
    @Operation(summary = "List tenants (platform admin)")
    public Uni<Page<TenantView>> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        caller.requirePlatformAdmin();
        return tenants.list(PageRequest.parse(limit, cursor));
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Read a tenant (platform admin, or the tenant's own keys)")
    public Uni<TenantView> get(@PathParam("id") String id) {
        return tenants.get(caller.identity(), Ids.parseOrNotFound(id, "tenant"));
    }

    @PATCH
    @Path("{id}")
    @Consumes({ MediaType.APPLICATION_JSON, "application/merge-patch+json" })
    @Operation(summary = "Change a tenant's name, status or quotas (platform admin; JSON merge patch)")
    public Uni<TenantView> update(@PathParam("id") String id, MergePatch<TenantPatch> patch) {
        return tenants.update(caller.identity(), Ids.parseOrNotFound(id, "tenant"), patch)
                .call(tenant -> invalidations.publish(Invalidation.tenant(tenant.id())));
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete a tenant and revoke its keys (platform admin)")
    public Uni<Response> delete(@PathParam("id") String id) {
        var tenantId = Ids.parseOrNotFound(id, "tenant");
        return tenants.delete(caller.identity(), tenantId)
                .call(() -> invalidations.publish(Invalidation.tenant(tenantId.toString())))
                .map(ignored -> Response.noContent().build());
    }
}
