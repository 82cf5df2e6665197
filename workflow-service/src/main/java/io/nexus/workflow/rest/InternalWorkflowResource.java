package io.nexus.workflow.rest;

import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.nexus.common.identity.CallerIdentity;
import io.nexus.common.identity.CurrentCaller;
import io.nexus.common.identity.Permission;
import io.nexus.common.problem.ProblemException;
import io.nexus.common.problem.ProblemType;
import io.nexus.workflow.rest.dto.WorkflowSnapshotView;
import io.nexus.workflow.service.WorkflowService;
import io.smallrye.mutiny.Uni;

/**
 * For other Nexus services only (the gateway never routes {@code /internal}): a version of one of the caller's
 * workflows, whole, for marketplace-service to snapshot when a tenant publishes it. marketplace-service forwards the
 * publishing tenant's own identity, so any tenant key that may read workflows is accepted, as is a service identity
 * acting for a tenant; either way only that tenant's live workflows are found (404 for another tenant's, as for an
 * unknown one).
 */
@Path("/internal/workflows/{name}/versions/{version}")
@Produces(MediaType.APPLICATION_JSON)
public class InternalWorkflowResource {

    private static final String LATEST = "latest";

    private final WorkflowService workflows;
    private final CurrentCaller caller;

    public InternalWorkflowResource(WorkflowService workflows, CurrentCaller caller) {
        this.workflows = workflows;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "A version of one of the caller's workflows ({version} a number or 'latest'): "
            + "{name, version, definition}")
    public Uni<WorkflowSnapshotView> version(@PathParam("name") String name, @PathParam("version") String version) {
        UUID tenant = tenant();
        return workflows.snapshot(tenant, name, LATEST.equals(version) ? null : QueryParams.version(version));
    }

    private UUID tenant() {
        CallerIdentity identity = caller.identity();
        if (identity.isService()) {
            if (identity.tenantId() == null) {
                throw new ProblemException(ProblemType.FORBIDDEN,
                        "a service reads workflows only when acting for a tenant");
            }
            return UUID.fromString(identity.tenantId());
        }
        caller.require(Permission.READ);
        return UUID.fromString(caller.tenantId());
    }
}
