package io.nexus.workflow.mcp;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.nexus.common.identity.CallerIdentity;
import io.nexus.common.identity.Permission;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import reactor.core.publisher.Mono;

/**
 * Who sent one MCP request, and where to run what it asks: the verified identity the gateway signed (tenant, role,
 * request id), the Nexus session of {@code X-Nexus-Session} (never the MCP transport session), the MCP session and the
 * JSON-RPC id of the request (to find it again on {@code notifications/cancelled}), and the request's Vert.x context,
 * on which the reactive services must run.
 */
record McpCaller(CallerIdentity identity, String nexusSession, String mcpSession, Object requestId,
        Context context) {

    /** JSON-RPC error code for a caller whose role does not allow the call (an implementation-defined server error). */
    static final int FORBIDDEN = -32001;

    private static final String KEY = "nexus.caller";

    McpTransportContext asTransportContext() {
        return McpTransportContext.create(Map.of(KEY, this));
    }

    static McpCaller of(McpAsyncServerExchange exchange) {
        Object caller = exchange.transportContext().get(KEY);
        if (caller instanceof McpCaller known) {
            return known;
        }
        throw new IllegalStateException("an MCP request reached a handler without its caller");
    }

    UUID tenant() {
        return UUID.fromString(identity.tenantId());
    }

    /** Fails the call with a JSON-RPC error unless the caller's role grants {@code permission}. */
    void require(Permission permission, String what) {
        if (!identity.role().allows(permission)) {
            throw new McpError(new McpSchema.JSONRPCResponse.JSONRPCError(FORBIDDEN,
                    "role '" + identity.role().wire() + "' may not " + what, null));
        }
    }

    /**
     * Runs {@code work} on the request's Vert.x context and hands its item to the SDK's Reactor chain: the SDK may call
     * a handler on any thread, but Hibernate Reactive and the reactive PostgreSQL client need that context.
     */
    <T> Mono<T> run(Supplier<Uni<T>> work) {
        return Mono.fromFuture(() -> {
            CompletableFuture<T> result = new CompletableFuture<>();
            context.runOnContext(ignored -> {
                try {
                    work.get().subscribe().with(result::complete, result::completeExceptionally);
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
            return result;
        });
    }
}
