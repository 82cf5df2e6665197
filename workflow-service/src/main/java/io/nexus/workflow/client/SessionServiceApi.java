package io.nexus.workflow.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.nexus.common.identity.IdentityTokens;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.smallrye.mutiny.Uni;

/**
 * session-service's internal API (only other services call it; the gateway never routes {@code /internal}). Both
 * answer the session, {@code {id, tenantId, userId, channels, data, createdAt, lastActivity, expiresAt}}; only
 * {@link SessionServiceClient} uses it, which adds the identity, the timeout, the retries and the circuit breaker.
 */
@Path("/internal/sessions/{id}")
@Produces(MediaType.APPLICATION_JSON)
interface SessionServiceApi {

    @GET
    Uni<JsonNode> read(@PathParam("id") String sessionId, @HeaderParam(IdentityTokens.HEADER) String identity);

    /** {@code patch} is an RFC 7386 merge patch for the session's {@code data}. */
    @POST
    @Path("merge")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<JsonNode> merge(@PathParam("id") String sessionId, @HeaderParam(IdentityTokens.HEADER) String identity,
            ObjectNode patch);

    @ClientExceptionMapper
    static RuntimeException failure(Response response) {
        return SessionServiceException.ofStatus(response.getStatus());
    }
}
