package io.nexus.workflow.mcp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.jboss.logging.Logger;

import io.modelcontextprotocol.server.McpAsyncServer;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.AsyncResourceTemplateSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerSession;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.ProtocolVersions;
import io.nexus.workflow.domain.WorkflowTool;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One tenant's MCP server on this replica: an MCP Java SDK server whose tools are the tenant's workflows plus the
 * {@code nexus_*} tools, and the tenant's open MCP sessions. It is the SDK's transport provider for those sessions
 * (the SDK builds sessions through it and broadcasts list changes to them); {@link McpEndpoint} carries their HTTP.
 * A session id is only ever looked up in its own tenant's server, so another tenant's id is an unknown session.
 */
final class TenantMcpServer implements McpStreamableServerTransportProvider {

    private static final Logger LOG = Logger.getLogger(TenantMcpServer.class);

    /** Oldest first: the SDK answers an initialize with the client's version when listed here, else the newest. */
    static final List<String> PROTOCOL_VERSIONS = List.of(ProtocolVersions.MCP_2024_11_05,
            ProtocolVersions.MCP_2025_03_26, ProtocolVersions.MCP_2025_06_18, ProtocolVersions.MCP_2025_11_25);

    private static final String INSTRUCTIONS = "Each tool named after a workflow runs that workflow of your Nexus "
            + "tenant with the tool's arguments as its inputs. The nexus_* tools list workflows, read executions, send "
            + "signals and read or update a Nexus session (pass its id as sessionId, or send the X-Nexus-Session "
            + "header). Resources: nexus://workflows/{name} (definition), nexus://executions/{id} (state).";

    private final UUID tenant;
    private final Function<WorkflowTool, AsyncToolSpecification> toolOf;
    private final Map<String, OpenSession> sessions = new ConcurrentHashMap<>();
    /** The workflow tools registered with the SDK server, as last synced. */
    private final Map<String, WorkflowTool> registered = new ConcurrentHashMap<>();
    private volatile McpStreamableServerSession.Factory sessionFactory;
    private McpAsyncServer server;
    /** Syncs run one after the other: each compares with what the previous one left registered. */
    private Mono<Void> syncs = Mono.empty();
    private volatile long emptySinceNanos = System.nanoTime();

    private TenantMcpServer(UUID tenant, Function<WorkflowTool, AsyncToolSpecification> toolOf) {
        this.tenant = tenant;
        this.toolOf = toolOf;
    }

    static TenantMcpServer create(UUID tenant, McpServerParts parts) {
        TenantMcpServer provider = new TenantMcpServer(tenant, parts.workflowTool());
        provider.server = McpServer.async(provider)
                .serverInfo("nexus", parts.version())
                .jsonMapper(parts.json())
                .instructions(INSTRUCTIONS)
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).resources(false, false).build())
                .tools(parts.platformTools())
                .resourceTemplates(parts.resourceTemplates())
                // Arguments are checked against the workflow's own inputSchema when it starts: one validator, the
                // same errors as the REST API, and bad arguments are JSON-RPC errors rather than tool results.
                .validateToolInputs(false)
                .requestTimeout(parts.requestTimeout())
                .build();
        return provider;
    }

    /** What every tenant's server is made of, built once per replica. */
    record McpServerParts(String version, io.modelcontextprotocol.json.McpJsonMapper json,
            List<AsyncToolSpecification> platformTools, List<AsyncResourceTemplateSpecification> resourceTemplates,
            Function<WorkflowTool, AsyncToolSpecification> workflowTool, Duration requestTimeout) {
    }

    UUID tenant() {
        return tenant;
    }

    // ---- sessions

    /** An MCP session and when it was last used (for the idle sweep). */
    static final class OpenSession {
        final McpStreamableServerSession session;
        volatile long lastUsedNanos = System.nanoTime();

        OpenSession(McpStreamableServerSession session) {
            this.session = session;
        }
    }

    McpStreamableServerSession.McpStreamableServerSessionInit open(McpSchema.InitializeRequest request) {
        McpStreamableServerSession.McpStreamableServerSessionInit init = sessionFactory.startSession(request);
        sessions.put(init.session().getId(), new OpenSession(init.session()));
        return init;
    }

    /** The session, marked used; null when this tenant has no such session (never opened, closed or idle too long). */
    McpStreamableServerSession find(String sessionId) {
        OpenSession open = sessionId == null ? null : sessions.get(sessionId);
        if (open == null) {
            return null;
        }
        open.lastUsedNanos = System.nanoTime();
        return open.session;
    }

    Mono<Void> delete(String sessionId) {
        OpenSession open = sessions.remove(sessionId);
        markIfEmpty();
        return open == null ? Mono.empty() : open.session.delete();
    }

    int openSessions() {
        return sessions.size();
    }

    /** Closes sessions unused for {@code idle}; answers whether the server has had no session for that long. */
    boolean closeIdle(Duration idle) {
        long now = System.nanoTime();
        sessions.forEach((id, open) -> {
            if (now - open.lastUsedNanos > idle.toNanos() && sessions.remove(id, open)) {
                LOG.debugf("Closing MCP session %s of tenant %s: unused for %s", id, tenant, idle);
                open.session.closeGracefully().onErrorResume(e -> Mono.empty()).subscribe();
            }
        });
        markIfEmpty();
        return sessions.isEmpty() && now - emptySinceNanos > idle.toNanos();
    }

    private void markIfEmpty() {
        if (sessions.isEmpty()) {
            emptySinceNanos = System.nanoTime();
        }
    }

    // ---- tools

    boolean hasTool(String name) {
        return registered.containsKey(name) || McpPlatformTools.NAMES.contains(name);
    }

    /**
     * Makes the registered workflow tools those of {@code latest} (the tenant's live workflows): removes the ones
     * gone, adds the new ones, replaces the changed ones. Each change makes the SDK send
     * {@code notifications/tools/list_changed} to the tenant's sessions.
     */
    synchronized Mono<Void> sync(List<WorkflowTool> latest) {
        Mono<Void> next = syncs.then(Mono.defer(() -> apply(latest))).cache();
        syncs = next.onErrorResume(failure -> {
            LOG.warnf(failure, "Syncing the MCP tools of tenant %s failed", tenant);
            return Mono.empty();
        });
        return next;
    }

    private Mono<Void> apply(List<WorkflowTool> latest) {
        Map<String, WorkflowTool> wanted = new ConcurrentHashMap<>();
        latest.forEach(tool -> wanted.put(tool.name(), tool));
        List<Mono<Void>> steps = new ArrayList<>();
        for (String name : List.copyOf(registered.keySet())) {
            if (!wanted.containsKey(name)) {
                registered.remove(name);
                steps.add(server.removeTool(name));
            }
        }
        for (WorkflowTool tool : latest) {
            WorkflowTool before = registered.get(tool.name());
            if (before != null && sameTool(before, tool)) {
                continue;
            }
            Mono<Void> remove = before == null ? Mono.empty() : server.removeTool(tool.name());
            registered.put(tool.name(), tool);
            steps.add(remove.then(server.addTool(toolOf.apply(tool))));
        }
        return Flux.concat(steps).then();
    }

    private static boolean sameTool(WorkflowTool a, WorkflowTool b) {
        return Objects.equals(a.description(), b.description()) && Objects.equals(a.inputSchema(), b.inputSchema());
    }

    // ---- McpStreamableServerTransportProvider

    @Override
    public void setSessionFactory(McpStreamableServerSession.Factory sessionFactory) {
        this.sessionFactory = sessionFactory;
    }

    @Override
    public Mono<Void> notifyClients(String method, Object params) {
        return Flux.fromIterable(List.copyOf(sessions.values()))
                .flatMap(open -> open.session.sendNotification(method, params)
                        .onErrorResume(failure -> Mono.empty()))
                .then();
    }

    @Override
    public Mono<Void> closeGracefully() {
        List<OpenSession> open = List.copyOf(sessions.values());
        sessions.clear();
        return Flux.fromIterable(open)
                .flatMap(session -> session.session.closeGracefully().onErrorResume(failure -> Mono.empty()))
                .then();
    }

    @Override
    public List<String> protocolVersions() {
        return PROTOCOL_VERSIONS;
    }
}
