package io.nexus.workflow.rest;

import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.nexus.common.identity.CurrentCaller;
import io.nexus.common.identity.Permission;
import io.nexus.common.ids.Ids;
import io.nexus.common.paging.Page;
import io.nexus.common.paging.PageRequest;
import io.nexus.workflow.rest.dto.ExecutionSummaryView;
import io.nexus.workflow.rest.dto.ExecutionView;
import io.nexus.workflow.rest.dto.SendSignalRequest;
import io.nexus.workflow.service.ExecutionService;
import io.smallrye.mutiny.Uni;

/** Executions: read, list, cancel, signal (docs/api.md §4). */
@Path("/api/v1/executions")
@Produces(MediaType.APPLICATION_JSON)
public class ExecutionResource {

    private final ExecutionService executions;
    private final CurrentCaller caller;

    public ExecutionResource(ExecutionService executions, CurrentCaller caller) {
        this.executions = executions;
        this.caller = caller;
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Read an execution with its steps")
    public Uni<ExecutionView> get(@PathParam("id") String id) {
        caller.require(Permission.READ);
        return executions.get(tenant(), Ids.parseOrNotFound(id, "execution"));
    }

    @GET
    @Operation(summary = "List executions, newest first, optionally of one workflow and one status")
    public Uni<Page<ExecutionSummaryView>> list(@QueryParam("workflow") String workflow,
            @QueryParam("status") String status, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) {
        caller.require(Permission.READ);
        return executions.list(tenant(), workflow, status, PageRequest.parse(limit, cursor));
    }

    @POST
    @Path("{id}/cancel")
    @Operation(summary = "Cancel an execution that has not ended (409 once it has)")
    public Uni<ExecutionView> cancel(@PathParam("id") String id) {
        caller.require(Permission.WRITE);
        return executions.cancel(tenant(), Ids.parseOrNotFound(id, "execution"));
    }

    @POST
    @Path("{id}/signals/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @OptionalBody
    @Operation(summary = "Send a signal: resumes one wait node of that name, now or when it starts (409 once ended)")
    public Uni<Response> signal(@PathParam("id") String id, @PathParam("name") String name,
            SendSignalRequest request) {
        caller.require(Permission.WRITE);
        return executions.signal(tenant(), Ids.parseOrNotFound(id, "execution"), name, request.payload())
                .map(view -> Response.accepted(view).build());
    }

    private UUID tenant() {
        return UUID.fromString(caller.tenantId());
    }
}
