package io.nexus.session.rest;

import jakarta.validation.Validator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.nexus.common.idempotency.IdempotencyScope;
import io.nexus.common.idempotency.IdempotentCreation;
import io.nexus.common.identity.CallerIdentity;
import io.nexus.common.identity.CurrentCaller;
import io.nexus.common.identity.Permission;
import io.nexus.common.paging.Page;
import io.nexus.common.paging.PageRequest;
import io.nexus.common.validation.StrictRequestBinder;
import io.nexus.session.domain.Session;
import io.nexus.session.rest.dto.CreateSessionRequest;
import io.nexus.session.rest.dto.PatchSessionRequest;
import io.nexus.session.rest.dto.SessionExecutionView;
import io.nexus.session.rest.dto.SessionSummaryView;
import io.nexus.session.service.NewSession;
import io.nexus.session.service.SessionQueries;
import io.nexus.session.service.SessionService;
import io.nexus.session.service.SessionViews;
import io.smallrye.mutiny.Uni;

/** Sessions of the caller's tenant (docs/api.md §4.5). Every read or write of a session is a use of it. */
@Path("/api/v1/sessions")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

    private static final String MERGE_PATCH = "application/merge-patch+json";

    private final SessionService sessions;
    private final SessionQueries queries;
    private final CurrentCaller caller;
    private final StrictRequestBinder binder;
    private final IdempotentCreation idempotency;

    public SessionResource(SessionService sessions, SessionQueries queries, CurrentCaller caller,
            ObjectMapper mapper, Validator validator, IdempotentCreation idempotency) {
        this.sessions = sessions;
        this.queries = queries;
        this.caller = caller;
        this.binder = new StrictRequestBinder(mapper, validator);
        this.idempotency = idempotency;
    }

    @POST
    @Consumes({ MediaType.APPLICATION_JSON, MediaType.WILDCARD })
    @Operation(summary = "Open a session {userId?, ttlSeconds?, data?}; the body may be empty")
    public Uni<Response> create(byte[] body, @HeaderParam(IdempotentCreation.HEADER) String idempotencyKey) {
        CallerIdentity identity = caller.require(Permission.WRITE);
        caller.tenantId();
        CreateSessionRequest request = body == null || body.length == 0 ? new CreateSessionRequest(null, null, null)
                : binder.bind(body, CreateSessionRequest.class, CreateSessionRequest.class);
        NewSession session = new NewSession(request.userId(), request.ttlSeconds(),
                SessionRequests.dataObject(request.data(), false));
        return idempotency.run(IdempotencyScope.post(identity, "/api/v1/sessions"), idempotencyKey, body,
                () -> sessions.create(identity, session).map(created -> withEtag(Response.status(
                        Response.Status.CREATED).header("Location", "/api/v1/sessions/" + created.id()), created)));
    }

    @GET
    @Operation(summary = "List the tenant's sessions, open (active=true, the default) or ended, most recent first")
    public Uni<Page<SessionSummaryView>> list(@QueryParam("active") String active,
            @QueryParam("userId") String userId, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) {
        CallerIdentity identity = caller.require(Permission.READ);
        caller.tenantId();
        return queries.list(identity, SessionRequests.active(active), userId,
                PageRequest.parse(limit, cursor, SessionQueries.SESSION_LIST_KEY));
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Read a session (a use: records the channel, slides the expiry)")
    public Uni<Response> get(@PathParam("id") String id) {
        CallerIdentity identity = caller.require(Permission.READ);
        caller.tenantId();
        return sessions.use(identity, SessionRequests.sessionId(id)).map(session -> withEtag(Response.ok(), session));
    }

    @PATCH
    @Path("{id}")
    @Consumes({ MediaType.APPLICATION_JSON, MERGE_PATCH })
    @Operation(summary = "Merge {data} into the session's data (RFC 7386); If-Match for compare-and-set (412)")
    public Uni<Response> patch(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch, byte[] body) {
        CallerIdentity identity = caller.require(Permission.WRITE);
        caller.tenantId();
        String sessionId = SessionRequests.sessionId(id);
        PatchSessionRequest request = binder.bind(body, PatchSessionRequest.class, PatchSessionRequest.class);
        return sessions.merge(identity, sessionId, SessionRequests.dataObject(request.data(), true),
                SessionRequests.requiredVersion(ifMatch)).map(session -> withEtag(Response.ok(), session));
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Close a session")
    public Uni<Response> close(@PathParam("id") String id) {
        CallerIdentity identity = caller.require(Permission.WRITE);
        caller.tenantId();
        return sessions.close(identity, SessionRequests.sessionId(id)).map(ignored -> Response.noContent().build());
    }

    @GET
    @Path("{id}/executions")
    @Operation(summary = "List the executions started in the session, newest first")
    public Uni<Page<SessionExecutionView>> executions(@PathParam("id") String id, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) {
        CallerIdentity identity = caller.require(Permission.READ);
        caller.tenantId();
        return queries.executions(identity, SessionRequests.sessionId(id), PageRequest.parse(limit, cursor));
    }

    private static Response withEtag(Response.ResponseBuilder response, Session session) {
        return response.header("ETag", SessionViews.etag(session)).entity(SessionViews.of(session)).build();
    }
}
