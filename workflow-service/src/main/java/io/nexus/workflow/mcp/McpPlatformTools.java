package io.nexus.workflow.mcp;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.server.McpServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import io.nexus.common.http.Channel;
import io.nexus.common.ids.Ids;
import io.nexus.common.identity.Permission;
import io.nexus.common.paging.PageRequest;
import io.nexus.common.problem.ProblemException;
import io.nexus.common.session.SessionKeys;
import io.nexus.workflow.client.MarketplaceServiceClient;
import io.nexus.workflow.client.MarketplaceServiceException;
import io.nexus.workflow.client.SessionCaller;
import io.nexus.workflow.client.SessionServiceClient;
import io.nexus.workflow.client.SessionServiceException;
import io.nexus.workflow.service.ExecutionService;
import io.nexus.workflow.service.WorkflowService;
import io.smallrye.mutiny.Uni;
import reactor.core.publisher.Mono;

/**
 * The {@code nexus_*} tools every tenant has besides its workflows. They answer what the REST API answers for the
 * same call (the same services, views and checks). Workflow names never contain {@code _}, so these names never
 * collide with a workflow's. The Nexus session of the session tools is their {@code sessionId} argument, else the
 * request's {@code X-Nexus-Session}: an agent can join the session a user started in the CLI or the API.
 */
@ApplicationScoped
class McpPlatformTools {

    static final String LIST_WORKFLOWS = "nexus_list_workflows";
    static final String GET_EXECUTION = "nexus_get_execution";
    static final String SEND_SIGNAL = "nexus_send_signal";
    static final String SESSION_GET = "nexus_session_get";
    static final String SESSION_UPDATE = "nexus_session_update";
    static final String MARKETPLACE_SEARCH = "nexus_marketplace_search";
    static final String MARKETPLACE_INSTALL = "nexus_marketplace_install";
    static final Set<String> NAMES = Set.of(LIST_WORKFLOWS, GET_EXECUTION, SEND_SIGNAL, SESSION_GET, SESSION_UPDATE,
            MARKETPLACE_SEARCH, MARKETPLACE_INSTALL);

    private static final Map<String, Object> SESSION_ID = Map.of("type", "string",
            "description", "The Nexus session's id; defaults to the X-Nexus-Session header of the request");

    private final WorkflowService workflows;
    private final ExecutionService executions;
    private final SessionServiceClient sessions;
    private final MarketplaceServiceClient marketplace;
    private final McpMarketplaceInstalls installs;
    private final McpViews views;

    McpPlatformTools(WorkflowService workflows, ExecutionService executions, SessionServiceClient sessions,
            MarketplaceServiceClient marketplace, McpMarketplaceInstalls installs, McpViews views) {
        this.workflows = workflows;
        this.executions = executions;
        this.sessions = sessions;
        this.marketplace = marketplace;
        this.installs = installs;
        this.views = views;
    }

    List<AsyncToolSpecification> tools() {
        return List.of(
                tool(LIST_WORKFLOWS, "Lists this tenant's workflows (name, description, latest version), 50 per page",
                        schema(Map.of("query", Map.of("type", "string", "description",
                                "Only workflows whose name or description contains this"),
                                "cursor", Map.of("type", "string", "description",
                                        "nextCursor of the previous page")), List.of()),
                        Permission.READ, (caller, args) -> workflows.list(caller.tenant(), text(args, "query"),
                                PageRequest.parse(null, text(args, "cursor"))).map(views::result)),
                tool(GET_EXECUTION, "Reads an execution: status, inputs, outputs, error and every step",
                        schema(Map.of("executionId", Map.of("type", "string", "format", "uuid")),
                                List.of("executionId")),
                        Permission.READ, (caller, args) -> executions.get(caller.tenant(),
                                Ids.parseOrNotFound(required(args, "executionId"), "execution")).map(views::result)),
                tool(SEND_SIGNAL, "Sends a signal to an execution: resumes its wait node of that name, now or when "
                        + "it starts waiting",
                        schema(Map.of("executionId", Map.of("type", "string", "format", "uuid"),
                                "signal", Map.of("type", "string"),
                                "payload", Map.of("description", "Any JSON value, the wait node's output")),
                                List.of("executionId", "signal")),
                        Permission.WRITE, (caller, args) -> executions.signal(caller.tenant(),
                                Ids.parseOrNotFound(required(args, "executionId"), "execution"),
                                required(args, "signal"), views.asJson(args.get("payload"))).map(views::result)),
                tool(SESSION_GET, "Reads a Nexus session: its channels, data and times",
                        schema(Map.of("sessionId", SESSION_ID), List.of()),
                        Permission.READ, (caller, args) -> sessions.session(session(caller, args))
                                .onFailure(SessionServiceException.class).transform(McpPlatformTools::sessionProblem)
                                .map(views::result)),
                tool(SESSION_UPDATE, "Merges data into a Nexus session (RFC 7386: a null member deletes it) and "
                        + "answers the session",
                        schema(Map.of("sessionId", SESSION_ID, "data", Map.of("type", "object",
                                "description", "The merge patch for the session's data")), List.of("data")),
                        Permission.WRITE, (caller, args) -> sessions.mergeIntoSession(session(caller, args),
                                patch(args)).onFailure(SessionServiceException.class)
                                .transform(McpPlatformTools::sessionProblem).map(views::result)),
                tool(MARKETPLACE_SEARCH, "Searches the marketplace's published workflows, best match first (quotes "
                        + "for phrases, -word to exclude); answers {items, total}",
                        schema(Map.of("query", Map.of("type", "string"), "category", Map.of("type", "string"),
                                "tag", Map.of("type", "string"),
                                "sort", Map.of("type", "string", "enum",
                                        List.of("relevance", "rating", "installs", "newest", "trending")),
                                "limit", Map.of("type", "integer", "minimum", 1, "maximum", 100),
                                "offset", Map.of("type", "integer", "minimum", 0)), List.of()),
                        Permission.READ, (caller, args) -> marketplace.search(caller.identity(), text(args, "query"),
                                text(args, "category"), text(args, "tag"), text(args, "sort"),
                                integer(args, "limit"), integer(args, "offset"))
                                .map(views::result)
                                .onFailure(MarketplaceServiceException.class).recoverWithUni(failure -> McpErrors
                                        .marketplaceFailure((MarketplaceServiceException) failure, "be searched",
                                                "retry shortly"))),
                tool(MARKETPLACE_INSTALL, "Installs a marketplace item into this tenant as a workflow and waits up to "
                        + McpMarketplaceInstalls.WAIT.toSeconds() + " s for it; answers the install (status "
                        + "completed, failed with the reason, or still pending: call again with the same arguments)",
                        schema(Map.of("itemId", Map.of("type", "string", "format", "uuid",
                                "description", "The item's id, as nexus_marketplace_search answers it"),
                                "as", Map.of("type", "string", "description",
                                        "The workflow name to install as; default the item's workflow name"),
                                "version", Map.of("type", "string", "description",
                                        "The item version; default its latest")), List.of("itemId")),
                        Permission.WRITE, (caller, args) -> installs.install(caller, Ids.parseOrNotFound(
                                required(args, "itemId"), "marketplace item").toString(), text(args, "as"),
                                text(args, "version"))));
    }

    private static Integer integer(Map<String, Object> args, String name) {
        Object value = args.get(name);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Integer number)) {
            throw McpErrors.invalidParams("argument '" + name + "' must be an integer");
        }
        return number;
    }

    private AsyncToolSpecification tool(String name, String description, Map<String, Object> schema,
            Permission permission, BiFunction<McpCaller, Map<String, Object>, Uni<McpSchema.CallToolResult>> work) {
        McpSchema.Tool tool = McpSchema.Tool.builder().name(name).description(description).inputSchema(schema)
                .build();
        return new AsyncToolSpecification(tool, (exchange, request) -> call(exchange, request, permission, work));
    }

    private static Mono<McpSchema.CallToolResult> call(McpAsyncServerExchange exchange,
            McpSchema.CallToolRequest request, Permission permission,
            BiFunction<McpCaller, Map<String, Object>, Uni<McpSchema.CallToolResult>> work) {
        return Mono.defer(() -> {
            McpCaller caller = McpCaller.of(exchange);
            caller.require(permission, permission == Permission.READ ? "read this tenant's resources"
                    : "change this tenant's resources");
            Map<String, Object> args = request.arguments() == null ? Map.of() : request.arguments();
            // Deferred: a bad id or cursor throws while the Uni is built, and must reach the mapping below.
            return caller.run(() -> Uni.createFrom().deferred(() -> work.apply(caller, args))
                    .onFailure(ProblemException.class).recoverWithUni(failure -> {
                        ProblemException problem = (ProblemException) failure;
                        return McpErrors.isCallersMistake(problem)
                                ? Uni.createFrom().failure(McpErrors.asJsonRpcError(problem))
                                : Uni.createFrom().item(McpErrors.failedResult(problem));
                    }));
        });
    }

    private static Map<String, Object> schema(Map<String, Object> properties, List<String> required) {
        return Map.of("type", "object", "properties", properties, "required", required,
                "additionalProperties", false);
    }

    private static String text(Map<String, Object> args, String name) {
        Object value = args.get(name);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String text)) {
            throw McpErrors.invalidParams("argument '" + name + "' must be a string");
        }
        return text;
    }

    private static String required(Map<String, Object> args, String name) {
        String value = text(args, name);
        if (value == null || value.isEmpty()) {
            throw McpErrors.invalidParams("argument '" + name + "' is required");
        }
        return value;
    }

    private static SessionCaller session(McpCaller caller, Map<String, Object> args) {
        String id = text(args, "sessionId");
        if (id == null) {
            id = caller.nexusSession();
        }
        if (id == null) {
            throw McpErrors.invalidParams("argument 'sessionId' is required without an X-Nexus-Session header");
        }
        if (!SessionKeys.isSessionId(id)) {
            throw McpErrors.invalidParams("argument 'sessionId' must be a session id: 22 characters of A-Z, a-z, "
                    + "0-9, '-' and '_'");
        }
        return new SessionCaller(caller.identity().tenantId(), Channel.MCP.label(), id,
                caller.identity().requestId());
    }

    private ObjectNode patch(Map<String, Object> args) {
        JsonNode data = views.asJson(args.get("data"));
        if (data == null || !data.isObject()) {
            throw McpErrors.invalidParams("argument 'data' must be an object (an RFC 7386 merge patch)");
        }
        return (ObjectNode) data;
    }

    private static Throwable sessionProblem(Throwable failure) {
        SessionServiceException problem = (SessionServiceException) failure;
        return switch (problem.kind()) {
            case GONE -> McpErrors.invalidParams("no session with that id (expired, closed or never opened)");
            case TOO_LARGE -> McpErrors.invalidParams("the session's data would exceed its size limit");
            case UNAVAILABLE -> new ProblemException(io.nexus.common.problem.ProblemType.SERVICE_UNAVAILABLE,
                    "sessions cannot be reached right now; retry shortly");
        };
    }
}
