package io.nexus.marketplace.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;

import io.nexus.common.identity.IdentityTokens;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.smallrye.mutiny.Uni;

/**
 * workflow-service's internal API for snapshots: {@code {name, version, definition}} of one of the caller's workflows
 * ({@code version} a number or {@code latest}). Only {@link WorkflowServiceClient} uses it, which adds the timeout,
 * the retries and the circuit breaker.
 */
@Path("/internal/workflows/{name}/versions/{version}")
@Produces(MediaType.APPLICATION_JSON)
interface WorkflowServiceApi {

    @GET
    Uni<JsonNode> version(@PathParam("name") String name, @PathParam("version") String version,
            @HeaderParam(IdentityTokens.HEADER) String identity);

    @ClientExceptionMapper
    static RuntimeException failure(Response response) {
        return WorkflowServiceException.ofStatus(response.getStatus());
    }
}
