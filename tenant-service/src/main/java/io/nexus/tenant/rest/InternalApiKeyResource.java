package io.nexus.tenant.rest;

import java.util.HexFormat;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.nexus.common.identity.CurrentCaller;
import io.nexus.common.problem.ProblemException;
import io.nexus.common.problem.ProblemType;
import io.nexus.tenant.rest.dto.ResolveKeyRequest;
import io.nexus.tenant.rest.dto.ResolvedKey;
import io.nexus.tenant.service.ApiKeyService;
import io.smallrye.mutiny.Uni;

/**
 * For the gateway only (it never routes {@code /internal}): who a key belongs to. The gateway sends the key's SHA-256,
 * so keys travel no further than the edge. Unknown, revoked and expired keys are all 404.
 */
@Path("/internal/api-keys/resolve")
public class InternalApiKeyResource {

    private final ApiKeyService keys;
    private final CurrentCaller caller;

    public InternalApiKeyResource(ApiKeyService keys, CurrentCaller caller) {
        this.keys = keys;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Resolve an API key by its SHA-256 (gateway only)")
    public Uni<ResolvedKey> resolve(ResolveKeyRequest request) {
        if (!caller.identity().isService()) {
            throw new ProblemException(ProblemType.FORBIDDEN, "only Nexus services resolve keys");
        }
        return keys.resolve(HexFormat.of().parseHex(request.sha256()))
                .onItem().ifNull().failWith(() -> ProblemException.notFound("no usable key with this hash"));
    }
}
