package io.nexus.workflow.rest;

import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.nexus.common.identity.CurrentCaller;
import io.nexus.common.identity.Permission;
import io.nexus.common.paging.Page;
import io.nexus.common.paging.PageRequest;
import io.nexus.workflow.rest.dto.SecretView;
import io.nexus.workflow.service.SecretService;
import io.smallrye.mutiny.Uni;

/** Tenant secrets (docs/api.md §4.8): written and deleted by developers and admins, listed by name; never read back. */
@Path("/api/v1/secrets")
@Produces(MediaType.APPLICATION_JSON)
public class SecretResource {

    private final SecretService secrets;
    private final CurrentCaller caller;

    public SecretResource(SecretService secrets, CurrentCaller caller) {
        this.secrets = secrets;
        this.caller = caller;
    }

    @PUT
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Store or replace a secret ({\"value\": \"...\"}); its value is never returned")
    public Uni<Response> put(@PathParam("name") String name, byte[] body) {
        caller.require(Permission.WRITE);
        return secrets.put(tenant(), name, JsonBodies.object(body)).map(put -> put.created()
                ? Response.status(Response.Status.CREATED).header("Location", "/api/v1/secrets/" + name)
                        .entity(put.secret()).build()
                : Response.ok(put.secret()).build());
    }

    @GET
    @Operation(summary = "List the tenant's secrets: names and timestamps, in name order")
    public Uni<Page<SecretView>> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        caller.require(Permission.READ);
        return secrets.list(tenant(), PageRequest.parse(limit, cursor));
    }

    @DELETE
    @Path("{name}")
    @Operation(summary = "Delete a secret; http nodes that read it fail with not-found from then on")
    public Uni<Response> delete(@PathParam("name") String name) {
        caller.require(Permission.WRITE);
        return secrets.delete(tenant(), name).map(ignored -> Response.noContent().build());
    }

    private UUID tenant() {
        return UUID.fromString(caller.tenantId());
    }
}
