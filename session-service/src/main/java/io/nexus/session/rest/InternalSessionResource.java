package io.nexus.session.rest;

import jakarta.validation.Validator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.nexus.common.identity.CallerIdentity;
import io.nexus.common.identity.CurrentCaller;
import io.nexus.common.problem.ProblemException;
import io.nexus.common.problem.ProblemType;
import io.nexus.common.validation.StrictRequestBinder;
import io.nexus.session.rest.dto.SessionView;
import io.nexus.session.service.SessionService;
import io.nexus.session.service.SessionViews;
import io.smallrye.mutiny.Uni;

/**
 * For other Nexus services only (the gateway never routes {@code /internal}): a service identity that carries the
 * tenant it acts for ({@code tid}) and the channel. workflow-service reads and merges for {@code session} nodes; the
 * gateway asks for a session Redis does not have, so that it is restored from PostgreSQL before the request goes on.
 */
@Path("/internal/sessions/{id}")
@Produces(MediaType.APPLICATION_JSON)
public class InternalSessionResource {

    private final SessionService sessions;
    private final CurrentCaller caller;
    private final StrictRequestBinder binder;

    public InternalSessionResource(SessionService sessions, CurrentCaller caller, ObjectMapper mapper,
            Validator validator) {
        this.sessions = sessions;
        this.caller = caller;
        this.binder = new StrictRequestBinder(mapper, validator);
    }

    @GET
    @Operation(summary = "Read a session of the tenant the service acts for (a use)")
    public Uni<SessionView> get(@PathParam("id") String id) {
        return sessions.use(service(), SessionRequests.sessionId(id)).map(SessionViews::of);
    }

    @POST
    @Path("merge")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Merge the body (an RFC 7386 patch) into the session's data; the session after it")
    public Uni<SessionView> merge(@PathParam("id") String id, byte[] body) {
        CallerIdentity service = service();
        String sessionId = SessionRequests.sessionId(id);
        ObjectNode patch = (ObjectNode) binder.parseObject(body);
        return sessions.merge(service, sessionId, patch, null).map(SessionViews::of);
    }

    @POST
    @Path("touch")
    @Operation(summary = "A use of the session, restoring it from PostgreSQL if Redis lost it: 204, or 404")
    public Uni<Response> touch(@PathParam("id") String id) {
        return sessions.use(service(), SessionRequests.sessionId(id)).map(ignored -> Response.noContent().build());
    }

    private CallerIdentity service() {
        CallerIdentity identity = caller.identity();
        if (!identity.isService() || identity.tenantId() == null) {
            throw new ProblemException(ProblemType.FORBIDDEN,
                    "only Nexus services acting for a tenant use the internal session API");
        }
        return identity;
    }
}
