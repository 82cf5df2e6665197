package io.nexus.tenant.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
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
import io.nexus.tenant.rest.dto.ApiKeyView;
import io.nexus.tenant.rest.dto.CreateApiKeyRequest;
import io.nexus.tenant.service.ApiKeyService;
import io.nexus.tenant.service.Invalidations;
import io.smallrye.mutiny.Uni;

/** A tenant's API keys, for the platform admin and the tenant's admin keys. */
@Path("/api/v1/tenants/{id}/api-keys")
@Produces(MediaType.APPLICATION_JSON)
public class ApiKeyResource {

    private final ApiKeyService keys;
    private final Invalidations invalidations;
    private final CurrentCaller caller;
    private final IdempotentCreation idempotency;

    public ApiKeyResource(ApiKeyService keys, Invalidations invalidations, CurrentCaller caller,
            IdempotentCreation idempotency) {
        this.keys = keys;
        this.invalidations = invalidations;
        this.caller = caller;
        this.idempotency = idempotency;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Issue an API key; the key is shown in this answer only")
    public Uni<Response> create(@PathParam("id") String tenantId, CreateApiKeyRequest request,
            @HeaderParam(IdempotentCreation.HEADER) String idempotencyKey) {
        var tenant = Ids.parseOrNotFound(tenantId, "tenant");
        var identity = caller.identity();
        String route = "/api/v1/tenants/" + tenant + "/api-keys";
        return idempotency.run(IdempotencyScope.post(identity, route), idempotencyKey, request,
                () -> keys.create(identity, tenant, request).map(created -> Response.status(Response.Status.CREATED)
                        .header("Location", route + "/" + created.id())
                        .entity(created)
                        .build()));
    }

    @GET
    @Operation(summary = "List the tenant's API keys (prefixes only)")
    public Uni<Page<ApiKeyView>> list(@PathParam("id") String tenantId, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) {
        return keys.list(caller.identity(), Ids.parseOrNotFound(tenantId, "tenant"), PageRequest.parse(limit, cursor));
    }

    @DELETE
    @Path("{keyId}")
    @Operation(summary = "Revoke an API key; in force on every gateway within a second")
    public Uni<Response> revoke(@PathParam("id") String tenantId, @PathParam("keyId") String keyId) {
        var tenant = Ids.parseOrNotFound(tenantId, "tenant");
        var key = Ids.parseOrNotFound(keyId, "API key");
        return keys.revoke(caller.identity(), tenant, key)
                .call(() -> invalidations.publish(Invalidation.apiKey(tenant.toString(), key.toString())))
                .map(ignored -> Response.noContent().build());
    }
}
