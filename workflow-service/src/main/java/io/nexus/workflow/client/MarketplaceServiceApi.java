package io.nexus.workflow.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;

import io.nexus.common.identity.IdentityTokens;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.smallrye.mutiny.Uni;

/**
 * marketplace-service's public search and installs, as the caller itself would call them (docs/api.md §4.6); only
 * {@link MarketplaceServiceClient} uses it, which adds the identity, the timeout, the retries and the circuit breaker.
 */
@Path("/api/v1/marketplace")
@Produces(MediaType.APPLICATION_JSON)
interface MarketplaceServiceApi {

    @GET
    @Path("/items")
    Uni<JsonNode> search(@HeaderParam(IdentityTokens.HEADER) String identity, @QueryParam("q") String query,
            @QueryParam("category") String category, @QueryParam("tag") String tag,
            @QueryParam("sort") String sort, @QueryParam("limit") Integer limit,
            @QueryParam("offset") Integer offset);

    @POST
    @Path("/items/{id}/install")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<JsonNode> install(@HeaderParam(IdentityTokens.HEADER) String identity, @PathParam("id") String itemId,
            JsonNode body);

    @GET
    @Path("/installs/{id}")
    Uni<JsonNode> installStatus(@HeaderParam(IdentityTokens.HEADER) String identity,
            @PathParam("id") String installId);

    @ClientExceptionMapper
    static RuntimeException failure(Response response) {
        return MarketplaceServiceException.ofStatus(response.getStatus(), response.hasEntity()
                ? response.readEntity(JsonNode.class) : null);
    }
}
