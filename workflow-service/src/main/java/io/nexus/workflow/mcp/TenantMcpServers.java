package io.nexus.workflow.mcp;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.nexus.workflow.config.WorkflowConfig;
import io.nexus.workflow.service.WorkflowService;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import tools.jackson.databind.json.JsonMapper;

/**
 * The MCP servers of the tenants that have MCP sessions on this replica, made on a tenant's first initialize with its
 * workflows as tools and kept in step with them by {@link #workflowsChanged} (from {@code nexus.workflows}, on every
 * replica). Once a minute, sessions unused for {@code nexus.workflow.mcp.session-idle-timeout} are closed, and a
 * tenant's server without sessions for that long is dropped, so memory follows the clients actually connected.
 */
@ApplicationScoped
class TenantMcpServers {

    private static final Logger LOG = Logger.getLogger(TenantMcpServers.class);
    private static final Duration SWEEP_INTERVAL = Duration.ofMinutes(1);

    private final Map<UUID, CompletableFuture<TenantMcpServer>> servers = new ConcurrentHashMap<>();
    private final WorkflowService workflows;
    private final TenantMcpServer.McpServerParts parts;
    private final Duration idleTimeout;
    private final Vertx vertx;
    private long sweepTimer = -1;

    TenantMcpServers(WorkflowService workflows, McpPlatformTools platformTools, McpResources resources,
            McpWorkflowTools workflowTools, WorkflowConfig config, Vertx vertx,
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version) {
        this.workflows = workflows;
        this.vertx = vertx;
        this.idleTimeout = config.mcp().sessionIdleTimeout();
        McpJsonMapper json = new JacksonMcpJsonMapper(JsonMapper.builder().build());
        // Tool calls end by themselves (an execution's deadline bounds them); the SDK's own timeout is only a backstop.
        this.parts = new TenantMcpServer.McpServerParts(version, json, platformTools.tools(), resources.templates(),
                workflowTools::toolOf, Duration.ofDays(7));
    }

    McpJsonMapper json() {
        return parts.json();
    }

    /** The tenant's server, made (with its workflows as tools) when the tenant has none on this replica. */
    Uni<TenantMcpServer> forTenant(UUID tenant) {
        CompletableFuture<TenantMcpServer> created = new CompletableFuture<>();
        CompletableFuture<TenantMcpServer> existing = servers.putIfAbsent(tenant, created);
        if (existing != null) {
            return Uni.createFrom().completionStage(existing);
        }
        TenantMcpServer server = TenantMcpServer.create(tenant, parts);
        workflows.tools(tenant)
                .chain(tools -> Uni.createFrom().completionStage(() -> server.sync(tools).toFuture()))
                .subscribe().with(ignored -> created.complete(server), failure -> {
                    servers.remove(tenant, created);
                    created.completeExceptionally(failure);
                });
        return Uni.createFrom().completionStage(created);
    }

    /** The tenant's server if it is ready on this replica; null otherwise. */
    TenantMcpServer existing(UUID tenant) {
        CompletableFuture<TenantMcpServer> server = servers.get(tenant);
        return server != null && server.isDone() && !server.isCompletedExceptionally() ? server.join() : null;
    }

    /** A workflow of {@code tenant} was registered, updated or deleted: re-read its tools where it has a server. */
    Uni<Void> workflowsChanged(UUID tenant) {
        TenantMcpServer server = existing(tenant);
        if (server == null) {
            return Uni.createFrom().voidItem();
        }
        return workflows.tools(tenant)
                .chain(tools -> Uni.createFrom().completionStage(() -> server.sync(tools).toFuture()))
                .replaceWithVoid();
    }

    void start(@Observes StartupEvent event) {
        sweepTimer = vertx.setPeriodic(SWEEP_INTERVAL.toMillis(), id -> sweep());
    }

    void sweep() {
        servers.forEach((tenant, future) -> {
            TenantMcpServer server = existing(tenant);
            if (server != null && server.closeIdle(idleTimeout) && servers.remove(tenant, future)) {
                LOG.debugf("Dropping the MCP server of tenant %s: no session for %s", tenant, idleTimeout);
                server.closeGracefully().subscribe();
            }
        });
    }

    void stop(@Observes ShutdownEvent event) {
        if (sweepTimer >= 0) {
            vertx.cancelTimer(sweepTimer);
        }
        servers.values().forEach(future -> future.thenAccept(server -> server.closeGracefully().subscribe()));
        servers.clear();
    }
}
