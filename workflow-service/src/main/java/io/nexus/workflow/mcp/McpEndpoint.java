package io.nexus.workflow.mcp;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerSession;
import io.nexus.common.identity.CallerIdentity;
import io.nexus.common.identity.IdentityTokens;
import io.nexus.common.identity.InvalidIdentityException;
import io.nexus.common.problem.ProblemType;
import io.nexus.workflow.config.WorkflowConfig;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * {@code /mcp}: the MCP Streamable HTTP transport (revisions 2024-11-05 to 2025-11-25) for the tenant of the verified
 * identity the gateway signed. {@code POST} carries one JSON-RPC message (an {@code initialize} opens an MCP session
 * and answers its {@code Mcp-Session-Id}); {@code GET} opens the session's stream for list changes; {@code DELETE} ends
 * the session. Refused before anything else: a missing or invalid identity (401), a caller that is no tenant's (403),
 * a browser {@code Origin} that is not allowed (403, DNS-rebinding protection), an {@code MCP-Protocol-Version} this
 * server does not speak (400). A missing session id is a 400, an unknown one (also another tenant's, or one closed for
 * idleness) a 404, after which the client initializes again. A body is checked by {@link JsonRpcValidator} before the
 * SDK reads it, and a request is always answered with its id, never with a notification's empty 202.
 */
@ApplicationScoped
class McpEndpoint {

    private static final Logger LOG = Logger.getLogger(McpEndpoint.class);

    static final String PATH = "/mcp";
    static final String SESSION_HEADER = "Mcp-Session-Id";
    static final String VERSION_HEADER = "MCP-Protocol-Version";
    private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    private final IdentityTokens tokens;
    private final TenantMcpServers servers;
    private final McpCancellations cancellations;
    private final WorkflowConfig.Mcp config;
    private final List<String> allowedOrigins;
    private final McpJsonMapper json;

    McpEndpoint(IdentityTokens tokens, TenantMcpServers servers, McpCancellations cancellations,
            WorkflowConfig config) {
        this.tokens = tokens;
        this.servers = servers;
        this.cancellations = cancellations;
        this.config = config.mcp();
        this.allowedOrigins = this.config.allowedOrigins().orElse(List.of());
        this.json = servers.json();
    }

    void register(@Observes Router router) {
        // Before the REST layer's routes: /mcp is no JAX-RS resource and must not reach its 404.
        router.route(PATH).order(-11).failureHandler(this::failed);
        router.route(PATH).order(-10).handler(BodyHandler.create(false).setBodyLimit(config.maxMessageBytes()));
        router.route(PATH).order(-9).handler(this::handle);
    }

    /** The body handler's 413 (a message over the limit) with a JSON-RPC error body like every refusal on /mcp. */
    void failed(RoutingContext ctx) {
        if (ctx.statusCode() != 413) {
            ctx.next();
            return;
        }
        LOG.debugf("MCP message over %d bytes refused", config.maxMessageBytes());
        rpcError(ctx, 413, McpSchema.ErrorCodes.INVALID_REQUEST, "the message is larger than "
                + config.maxMessageBytes() + " bytes, the most one POST to " + PATH + " may carry");
    }

    void handle(RoutingContext ctx) {
        HttpServerRequest in = ctx.request();
        CallerIdentity identity;
        try {
            identity = tokens.verify(in.getHeader(IdentityTokens.HEADER));
        } catch (InvalidIdentityException e) {
            problem(ctx, ProblemType.UNAUTHORIZED, e.getMessage());
            return;
        }
        if (identity.tenantId() == null || identity.isService()) {
            problem(ctx, ProblemType.FORBIDDEN, "MCP serves a tenant's API keys only");
            return;
        }
        if (!allowedOrigin(in.getHeader("Origin"))) {
            rpcError(ctx, 403, McpSchema.ErrorCodes.INVALID_REQUEST, "Origin '" + in.getHeader("Origin")
                    + "' is not allowed to use this MCP server");
            return;
        }
        String version = in.getHeader(VERSION_HEADER);
        if (version != null && !TenantMcpServer.PROTOCOL_VERSIONS.contains(version)) {
            rpcError(ctx, 400, McpSchema.ErrorCodes.INVALID_REQUEST, "unsupported " + VERSION_HEADER + " '"
                    + version + "'; supported: " + String.join(", ", TenantMcpServer.PROTOCOL_VERSIONS));
            return;
        }
        switch (in.method().name()) {
            case "POST" -> post(ctx, identity);
            case "GET" -> listen(ctx, identity);
            case "DELETE" -> delete(ctx, identity);
            default -> ctx.response().setStatusCode(405).putHeader("Allow", "GET, POST, DELETE").end();
        }
    }

    private void post(RoutingContext ctx, CallerIdentity identity) {
        HttpServerRequest in = ctx.request();
        if (!accepts(in, "application/json") || !accepts(in, "text/event-stream")) {
            rpcError(ctx, 406, McpSchema.ErrorCodes.INVALID_REQUEST,
                    "Accept must list both application/json and text/event-stream");
            return;
        }
        String contentType = in.getHeader("Content-Type");
        if (contentType == null || !contentType.toLowerCase().startsWith("application/json")) {
            rpcError(ctx, 415, McpSchema.ErrorCodes.INVALID_REQUEST, "Content-Type must be application/json");
            return;
        }
        McpSchema.JSONRPCMessage message;
        try {
            Buffer body = ctx.body().buffer();
            String text = JsonRpcValidator.check(body == null ? new byte[0] : body.getBytes());
            message = McpSchema.deserializeJsonRpcMessage(json, text);
        } catch (JsonRpcValidator.Rejection rejection) {
            // The client's mistake, answered in full: nothing for the log beyond debugging.
            LOG.debugf("MCP message refused: %s", rejection.getMessage());
            ctx.response().setStatusCode(rejection.httpStatus()).putHeader("Content-Type", "application/json")
                    .end(new JsonObject(rejection.toResponse()).encode());
            return;
        } catch (IOException | RuntimeException e) {
            rpcError(ctx, 400, McpSchema.ErrorCodes.PARSE_ERROR, "the body is not one JSON-RPC 2.0 message");
            return;
        }
        if (message instanceof McpSchema.JSONRPCRequest request
                && McpSchema.METHOD_INITIALIZE.equals(request.method())) {
            initialize(ctx, identity, request);
            return;
        }
        McpStreamableServerSession session = session(ctx, identity);
        if (session == null) {
            return;
        }
        String sessionId = session.getId();
        if (message instanceof McpSchema.JSONRPCRequest request) {
            McpCaller caller = caller(identity, sessionId, request.id());
            if (McpSchema.METHOD_TOOLS_CALL.equals(request.method()) && !knownTool(identity, request)) {
                String name = request.params() instanceof Map<?, ?> params ? String.valueOf(params.get("name"))
                        : null;
                respond(ctx, 200, McpSchema.JSONRPCResponse.error(request.id(),
                        new McpSchema.JSONRPCResponse.JSONRPCError(McpSchema.ErrorCodes.INVALID_PARAMS,
                                "unknown tool '" + name + "': no workflow of this tenant and no nexus_* tool has "
                                        + "that name (tools/list lists them)", null)));
                return;
            }
            HttpStreamTransport transport = HttpStreamTransport.forRequest(ctx.response(), Vertx.currentContext(),
                    json, config.keepAlive());
            session.responseStream(request, transport)
                    .contextWrite(context -> context.put(McpTransportContext.KEY, caller.asTransportContext()))
                    .subscribe(null, failure -> transport.answerIfUnanswered(unanswered(request, failure)));
            return;
        }
        McpCaller caller = caller(identity, sessionId, null);
        if (message instanceof McpSchema.JSONRPCNotification notification) {
            if (JsonRpcValidator.CANCELLED.equals(notification.method())
                    && notification.params() instanceof Map<?, ?> params) {
                // Handled here alone: the SDK has no handler for it and would log a warning on each one.
                cancellations.cancel(sessionId, params.get("requestId"));
            } else {
                session.accept(notification)
                        .contextWrite(context -> context.put(McpTransportContext.KEY, caller.asTransportContext()))
                        .subscribe(null, failure -> LOG.debugf("MCP notification %s failed: %s",
                                notification.method(), failure.getMessage()));
            }
        } else if (message instanceof McpSchema.JSONRPCResponse response) {
            session.accept(response)
                    .contextWrite(context -> context.put(McpTransportContext.KEY, caller.asTransportContext()))
                    .subscribe(null, failure -> LOG.debugf("MCP response failed: %s", failure.getMessage()));
        }
        ctx.response().setStatusCode(202).end();
    }

    /**
     * The answer to a request the SDK failed on without one (it throws instead of answering when it cannot read the
     * params): invalid params when the params could not be read as the method's, else an internal error worth a WARN.
     */
    private static McpSchema.JSONRPCResponse unanswered(McpSchema.JSONRPCRequest request, Throwable failure) {
        if (failure instanceof IllegalArgumentException) {
            LOG.debugf("MCP request %s had params the SDK could not read: %s", request.method(), failure.getMessage());
            return McpSchema.JSONRPCResponse.error(request.id(), new McpSchema.JSONRPCResponse.JSONRPCError(
                    McpSchema.ErrorCodes.INVALID_PARAMS, "invalid params for " + request.method(), null));
        }
        LOG.warnf(failure, "MCP request %s failed", request.method());
        return McpSchema.JSONRPCResponse.error(request.id(), new McpSchema.JSONRPCResponse.JSONRPCError(
                McpSchema.ErrorCodes.INTERNAL_ERROR, request.method() + " failed", null));
    }

    private void initialize(RoutingContext ctx, CallerIdentity identity, McpSchema.JSONRPCRequest request) {
        Context context = Vertx.currentContext();
        McpSchema.InitializeRequest initialize;
        try {
            initialize = json.convertValue(request.params(), McpSchema.InitializeRequest.class);
        } catch (RuntimeException e) {
            respond(ctx, 200, McpSchema.JSONRPCResponse.error(request.id(), new McpSchema.JSONRPCResponse.JSONRPCError(
                    McpSchema.ErrorCodes.INVALID_PARAMS, "initialize needs protocolVersion, capabilities and "
                            + "clientInfo", null)));
            return;
        }
        servers.forTenant(tenantOf(identity)).subscribe().with(server -> context.runOnContext(ignored -> {
            if (server.openSessions() >= config.maxSessionsPerTenant()) {
                ctx.response().putHeader("Retry-After", "60");
                rpcError(ctx, 429, McpSchema.ErrorCodes.INVALID_REQUEST, "this tenant has "
                        + server.openSessions() + " open MCP sessions, the most one server keeps; close unused ones "
                        + "(DELETE) or retry later");
                return;
            }
            McpStreamableServerSession.McpStreamableServerSessionInit init = server.open(initialize);
            McpCaller caller = caller(identity, init.session().getId(), request.id());
            init.initResult()
                    .contextWrite(c -> c.put(McpTransportContext.KEY, caller.asTransportContext()))
                    .subscribe(result -> context.runOnContext(done -> {
                        ctx.response().putHeader(SESSION_HEADER, init.session().getId());
                        respond(ctx, 200, McpSchema.JSONRPCResponse.result(request.id(), result));
                    }), failure -> context.runOnContext(done -> rpcError(ctx, 500,
                            McpSchema.ErrorCodes.INTERNAL_ERROR, "the MCP session could not be initialized")));
        }), failure -> context.runOnContext(ignored -> {
            LOG.warnf(failure, "The MCP server of tenant %s could not be made", identity.tenantId());
            rpcError(ctx, 503, McpSchema.ErrorCodes.INTERNAL_ERROR, "the tenant's tools cannot be loaded right now; "
                    + "retry shortly");
        }));
    }

    private void listen(RoutingContext ctx, CallerIdentity identity) {
        if (!accepts(ctx.request(), "text/event-stream")) {
            rpcError(ctx, 406, McpSchema.ErrorCodes.INVALID_REQUEST, "Accept must list text/event-stream");
            return;
        }
        McpStreamableServerSession session = session(ctx, identity);
        if (session == null) {
            return;
        }
        HttpStreamTransport transport = HttpStreamTransport.listening(ctx.response(), Vertx.currentContext(), json,
                config.keepAlive());
        McpStreamableServerSession.McpStreamableServerSessionStream stream = session.listeningStream(transport);
        transport.whenClosed(stream::close);
    }

    private void delete(RoutingContext ctx, CallerIdentity identity) {
        McpStreamableServerSession session = session(ctx, identity);
        if (session == null) {
            return;
        }
        Context context = Vertx.currentContext();
        servers.existing(tenantOf(identity)).delete(session.getId())
                .subscribe(null, failure -> context.runOnContext(ignored -> ctx.response().setStatusCode(200).end()),
                        () -> context.runOnContext(ignored -> ctx.response().setStatusCode(200).end()));
    }

    /** The request's MCP session of the caller's tenant; null after answering 400 (no header) or 404 (unknown). */
    private McpStreamableServerSession session(RoutingContext ctx, CallerIdentity identity) {
        String id = ctx.request().getHeader(SESSION_HEADER);
        if (id == null || id.isBlank()) {
            rpcError(ctx, 400, McpSchema.ErrorCodes.INVALID_REQUEST, SESSION_HEADER
                    + " is required: send initialize first");
            return null;
        }
        TenantMcpServer server = servers.existing(tenantOf(identity));
        McpStreamableServerSession session = server == null ? null : server.find(id);
        if (session == null) {
            rpcError(ctx, 404, McpSchema.ErrorCodes.INVALID_REQUEST, "unknown MCP session (closed, expired or never "
                    + "opened); send initialize again");
        }
        return session;
    }

    private boolean knownTool(CallerIdentity identity, McpSchema.JSONRPCRequest request) {
        TenantMcpServer server = servers.existing(tenantOf(identity));
        Object name = request.params() instanceof Map<?, ?> params ? params.get("name") : null;
        // JsonRpcValidator has refused a missing or malformed name: what is left is a string.
        return server == null || !(name instanceof String tool) || server.hasTool(tool);
    }

    private static UUID tenantOf(CallerIdentity identity) {
        return UUID.fromString(identity.tenantId());
    }

    private static McpCaller caller(CallerIdentity identity, String mcpSession, Object requestId) {
        return new McpCaller(identity, identity.sessionId(), mcpSession, requestId, Vertx.currentContext());
    }

    /**
     * No {@code Origin} (not a browser) passes; a browser's must be loopback (any port) or configured: a page of
     * another site that resolved its own name to this host (DNS rebinding) sends its own origin and is refused.
     */
    boolean allowedOrigin(String origin) {
        if (origin == null || allowedOrigins.contains(origin)) {
            return true;
        }
        try {
            URI uri = URI.create(origin);
            String scheme = uri.getScheme();
            return ("http".equals(scheme) || "https".equals(scheme)) && uri.getHost() != null
                    && LOOPBACK_HOSTS.contains(uri.getHost());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean accepts(HttpServerRequest in, String mediaType) {
        String accept = in.getHeader("Accept");
        return accept != null && (accept.contains(mediaType) || accept.contains("*/*"));
    }

    private void respond(RoutingContext ctx, int status, McpSchema.JSONRPCMessage message) {
        try {
            ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                    .end(json.writeValueAsString(message));
        } catch (IOException e) {
            ctx.response().setStatusCode(500).end();
        }
    }

    /** A transport-level refusal: a JSON-RPC error without an id, as the MCP clients expect on /mcp. */
    private static void rpcError(RoutingContext ctx, int status, int code, String message) {
        JsonObject error = new JsonObject().put("jsonrpc", "2.0").putNull("id")
                .put("error", new JsonObject().put("code", code).put("message", message));
        HttpServerResponse out = ctx.response();
        if (!out.ended()) {
            out.setStatusCode(status).putHeader("Content-Type", "application/json").end(error.encode());
        }
    }

    /** Who the caller is comes first, as on every Nexus path: an RFC 9457 problem. */
    private static void problem(RoutingContext ctx, ProblemType type, String detail) {
        JsonObject problem = new JsonObject().put("type", type.uri()).put("title", type.title())
                .put("status", type.status()).put("detail", detail).put("instance", PATH);
        ctx.response().setStatusCode(type.status()).putHeader("Content-Type", "application/problem+json")
                .end(problem.encode());
    }
}
