package io.nexus.tenant.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.nexus.common.identity.CurrentCaller;
import io.nexus.common.ids.Ids;
import io.nexus.tenant.rest.dto.UsageView;
import io.nexus.tenant.service.UsageService;
import io.smallrye.mutiny.Uni;

@Path("/api/v1/tenants/{id}/usage")
@Produces(MediaType.APPLICATION_JSON)
public class UsageResource {

    private final UsageService usage;
    private final CurrentCaller caller;

    public UsageResource(UsageService usage, CurrentCaller caller) {
        this.usage = usage;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "The tenant's current counters against its quotas (platform admin, tenant admin)")
    public Uni<UsageView> get(@PathParam("id") String tenantId) {
        return usage.of(caller.identity(), Ids.parseOrNotFound(tenantId, "tenant"));
    }
}
