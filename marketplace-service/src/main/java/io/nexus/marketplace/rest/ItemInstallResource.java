package io.nexus.marketplace.rest;

import java.util.UUID;

import jakarta.validation.Validator;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.nexus.common.idempotency.IdempotencyScope;
import io.nexus.common.idempotency.IdempotentCreation;
import io.nexus.common.identity.CallerIdentity;
import io.nexus.common.identity.CurrentCaller;
import io.nexus.common.identity.Permission;
import io.nexus.common.validation.StrictRequestBinder;
import io.nexus.marketplace.rest.dto.InstallRequest;
import io.nexus.marketplace.service.InstallService;
import io.smallrye.mutiny.Uni;

/**
 * Installing an item (docs/api.md §4.6): a developer or admin of any tenant installs a version of an item into its own
 * tenant as a workflow; 202 with the install, which workflow-service settles asynchronously ({@link InstallResource}).
 */
@Path("/api/v1/marketplace/items/{id}/install")
@Produces(MediaType.APPLICATION_JSON)
public class ItemInstallResource {

    private final InstallService installs;
    private final CurrentCaller caller;
    private final StrictRequestBinder binder;
    private final IdempotentCreation idempotency;

    public ItemInstallResource(InstallService installs, CurrentCaller caller, ObjectMapper mapper,
            Validator validator, IdempotentCreation idempotency) {
        this.installs = installs;
        this.caller = caller;
        this.binder = new StrictRequestBinder(mapper, validator);
        this.idempotency = idempotency;
    }

    @POST
    @Operation(summary = "Install a version of an item {as?, version?} into the tenant as a workflow (202, pending)")
    public Uni<Response> install(@PathParam("id") String id,
            @HeaderParam(IdempotentCreation.HEADER) String idempotencyKey, byte[] body) {
        CallerIdentity installer = caller.require(Permission.WRITE);
        caller.tenantId();
        UUID itemId = MarketplaceRequests.itemId(id);
        InstallRequest request = MarketplaceRequests.install(binder, body);
        return idempotency.run(IdempotencyScope.post(installer, "/api/v1/marketplace/items/" + itemId + "/install"),
                idempotencyKey, body, () -> installs.install(installer, itemId, request.as(), request.version())
                        .map(accepted -> Response.status(Response.Status.ACCEPTED)
                                .header("Location", InstallResource.INSTALLS + accepted.installId()).entity(accepted)
                                .build()));
    }
}
