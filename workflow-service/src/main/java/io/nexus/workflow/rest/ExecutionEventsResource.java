package io.nexus.workflow.rest;

import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NameBinding;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.ResponseHeader;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.nexus.common.identity.CurrentCaller;
import io.nexus.common.identity.Permission;
import io.nexus.common.ids.Ids;
import io.nexus.workflow.service.ExecutionEvent;
import io.nexus.workflow.service.ExecutionEventStream;
import io.quarkus.vertx.http.Uncompressed;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/** An execution's progress as Server-Sent Events (docs/api.md §4); the stream itself is {@link ExecutionEventStream}. */
@Path("/api/v1/executions")
public class ExecutionEventsResource {

    private final ExecutionEventStream stream;
    private final CurrentCaller caller;
    private final ObjectMapper mapper;

    public ExecutionEventsResource(ExecutionEventStream stream, CurrentCaller caller, ObjectMapper mapper) {
        this.stream = stream;
        this.caller = caller;
        this.mapper = mapper;
    }

    @GET
    @Path("{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @ExistingExecution
    @Uncompressed
    @ResponseHeader(name = "Cache-Control", value = "no-cache")
    @ResponseHeader(name = "X-Accel-Buffering", value = "no")
    @Operation(summary = "Follow an execution: a `step` event per new or changed step, then `end` when it has ended")
    public Multi<OutboundSseEvent> events(@PathParam("id") String id, @Context Sse sse) {
        caller.require(Permission.READ);
        return stream.follow(tenant(caller), Ids.parseOrNotFound(id, "execution")).map(event -> sse(sse, event));
    }

    private OutboundSseEvent sse(Sse sse, ExecutionEvent event) {
        if (event.keepAlive()) {
            return sse.newEventBuilder().comment("keep-alive").build();
        }
        return sse.newEventBuilder().id(Long.toString(event.sequence())).name(event.name())
                .data(json(event.data())).build();
    }

    /**
     * The event's view as one line of JSON, written by the application's ObjectMapper so that a step reads exactly as
     * {@code GET /executions/{id}} shows it.
     */
    private String json(Object view) {
        try {
            return mapper.writeValueAsString(view);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("an execution event could not be written as JSON", e);
        }
    }

    /**
     * Once an SSE response has started, its status can no longer change: the caller's role and the execution's
     * existence in the caller's tenant are checked first, so an unknown or foreign id is a 404 problem like on
     * {@code GET /executions/{id}}.
     */
    @ServerRequestFilter
    @ExistingExecution
    public Uni<Response> requireExecution(UriInfo uri) {
        caller.require(Permission.READ);
        UUID id = Ids.parseOrNotFound(uri.getPathParameters().getFirst("id"), "execution");
        return stream.requireExecution(tenant(caller), id).replaceWith((Response) null);
    }

    private static UUID tenant(CurrentCaller caller) {
        return UUID.fromString(caller.tenantId());
    }

    /** Binds {@link #requireExecution} to the resource methods whose execution must exist before they answer. */
    @NameBinding
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ ElementType.METHOD, ElementType.TYPE })
    @interface ExistingExecution {
    }
}
