package io.nexus.workflow.rest;

import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.nexus.common.idempotency.IdempotencyScope;
import io.nexus.common.idempotency.IdempotentCreation;
import io.nexus.common.identity.CallerIdentity;
import io.nexus.common.identity.CurrentCaller;
import io.nexus.common.identity.Permission;
import io.nexus.common.paging.Page;
import io.nexus.common.paging.PageRequest;
import io.nexus.workflow.rest.dto.StartExecutionRequest;
import io.nexus.workflow.rest.dto.WorkflowSummaryView;
import io.nexus.workflow.rest.dto.WorkflowVersionView;
import io.nexus.workflow.service.IdempotentStarts;
import io.nexus.workflow.service.StartResponse;
import io.nexus.workflow.service.WorkflowService;
import io.smallrye.mutiny.Uni;

/** Workflow definitions, and starting executions of them (docs/api.md §4). */
@Path("/api/v1/workflows")
@Produces(MediaType.APPLICATION_JSON)
public class WorkflowResource {

    private final WorkflowService workflows;
    private final IdempotentStarts starts;
    private final CurrentCaller caller;
    private final IdempotentCreation idempotency;

    public WorkflowResource(WorkflowService workflows, IdempotentStarts starts, CurrentCaller caller,
            IdempotentCreation idempotency) {
        this.workflows = workflows;
        this.starts = starts;
        this.caller = caller;
        this.idempotency = idempotency;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register a workflow (version 1); 409 if the name exists in the tenant")
    public Uni<Response> register(byte[] body, @HeaderParam(IdempotentCreation.HEADER) String idempotencyKey) {
        caller.require(Permission.WRITE);
        UUID tenant = tenant();
        var definition = JsonBodies.object(body);
        return idempotency.run(IdempotencyScope.post(tenant, "/api/v1/workflows"), idempotencyKey, body,
                () -> workflows.register(tenant, definition).map(view -> Response.status(Response.Status.CREATED)
                        .header("Location", "/api/v1/workflows/" + view.name())
                        .entity(view)
                        .build()));
    }

    @PUT
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register a new version of a workflow (every PUT makes version n+1)")
    public Uni<WorkflowVersionView> update(@PathParam("name") String name, byte[] body) {
        caller.require(Permission.WRITE);
        return workflows.update(tenant(), name, JsonBodies.object(body));
    }

    @GET
    @Path("{name}")
    @Operation(summary = "Read a workflow's latest version, or the one named by ?version=")
    public Uni<WorkflowVersionView> get(@PathParam("name") String name, @QueryParam("version") String version) {
        caller.require(Permission.READ);
        return workflows.get(tenant(), name, QueryParams.version(version));
    }

    @GET
    @Operation(summary = "List workflows, optionally matching ?q= in name or description")
    public Uni<Page<WorkflowSummaryView>> list(@QueryParam("q") String query, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) {
        caller.require(Permission.READ);
        return workflows.list(tenant(), query, PageRequest.parse(limit, cursor));
    }

    @DELETE
    @Path("{name}")
    @Operation(summary = "Delete a workflow; running executions finish on their version")
    public Uni<Response> delete(@PathParam("name") String name) {
        caller.require(Permission.WRITE);
        return workflows.delete(tenant(), name).map(ignored -> Response.noContent().build());
    }

    @POST
    @Path("{name}/executions")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start an execution: sync answers with the result (or 202 after waitMs), async at once")
    public Uni<Response> start(@PathParam("name") String name, @HeaderParam("Idempotency-Key") String key,
            StartExecutionRequest request) {
        CallerIdentity identity = caller.require(Permission.WRITE);
        return starts.start(tenant(), name, request, identity, key).map(WorkflowResource::response);
    }

    private static Response response(StartResponse start) {
        Response.ResponseBuilder builder = Response.status(start.status()).entity(start.body());
        if (start.location() != null) {
            builder.header("Location", start.location());
        }
        return builder.build();
    }

    private UUID tenant() {
        return UUID.fromString(caller.tenantId());
    }
}
