package io.nexus.workflow.mcp;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.server.McpServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import io.nexus.common.http.Channel;
import io.nexus.common.identity.Permission;
import io.nexus.common.problem.ProblemException;
import io.nexus.workflow.config.WorkflowConfig;
import io.nexus.workflow.domain.ExecutionMode;
import io.nexus.workflow.domain.WorkflowTool;
import io.nexus.workflow.rest.dto.ExecutionAcceptedView;
import io.nexus.workflow.rest.dto.ExecutionOutcomeView;
import io.nexus.workflow.rest.dto.StepView;
import io.nexus.workflow.service.ExecutionEvent;
import io.nexus.workflow.service.ExecutionEventStream;
import io.nexus.workflow.service.ExecutionService;
import io.nexus.workflow.service.ExecutionStarter;
import io.nexus.workflow.service.StartCommand;
import io.smallrye.mutiny.Uni;
import reactor.core.publisher.Mono;

/**
 * A tenant's workflows as MCP tools: one per workflow, named after it, with its description and inputSchema. A call
 * starts the workflow with channel {@code mcp} (in the caller's Nexus session, if any) as a sync start that waits
 * {@code nexus.workflow.mcp.sync-wait}; an execution still running then is followed through its event stream, with a
 * progress notification per step when the client sent a progress token, and is cancelled on
 * {@code notifications/cancelled}. The result is the execution's outcome, as a sync start answers it over REST.
 */
@ApplicationScoped
class McpWorkflowTools {

    private static final Logger LOG = Logger.getLogger(McpWorkflowTools.class);

    private final ExecutionStarter starter;
    private final ExecutionEventStream events;
    private final ExecutionService executions;
    private final McpCancellations cancellations;
    private final McpViews views;
    private final long syncWaitMs;

    McpWorkflowTools(ExecutionStarter starter, ExecutionEventStream events, ExecutionService executions,
            McpCancellations cancellations, McpViews views, WorkflowConfig config) {
        this.starter = starter;
        this.events = events;
        this.executions = executions;
        this.cancellations = cancellations;
        this.views = views;
        this.syncWaitMs = config.mcp().syncWait().toMillis();
    }

    AsyncToolSpecification toolOf(WorkflowTool workflow) {
        Map<String, Object> schema = toolSchema(workflow);
        String description = workflow.description() == null || workflow.description().isBlank()
                ? "Runs the workflow '" + workflow.name() + "' with the arguments as its inputs."
                : workflow.description();
        McpSchema.Tool tool = McpSchema.Tool.builder().name(workflow.name()).description(description)
                .inputSchema(schema).build();
        return new AsyncToolSpecification(tool, (exchange, request) -> call(workflow.name(), exchange, request));
    }

    /**
     * MCP requires a tool's inputSchema to describe an object (clients reject the whole tool list otherwise), and
     * arguments always are one. A workflow's schema that says nothing of the type gets {@code "type": "object"}; one
     * that demands another type can never be satisfied by arguments, so the tool shows a bare object schema.
     */
    private Map<String, Object> toolSchema(WorkflowTool workflow) {
        if (workflow.inputSchema() == null || !workflow.inputSchema().isObject()) {
            return Map.of("type", "object");
        }
        Map<String, Object> schema = new LinkedHashMap<>(views.asMap(workflow.inputSchema()));
        Object type = schema.putIfAbsent("type", "object");
        return type == null || "object".equals(type) ? schema : Map.of("type", "object");
    }

    private Mono<McpSchema.CallToolResult> call(String workflow, McpAsyncServerExchange exchange,
            McpSchema.CallToolRequest request) {
        return Mono.defer(() -> {
            McpCaller caller = McpCaller.of(exchange);
            caller.require(Permission.WRITE, "run workflows");
            Object progressToken = request.meta() == null ? null : request.meta().get("progressToken");
            McpCancellations.Call call = cancellations.register(caller, id -> cancel(caller, id));
            return caller.run(() -> start(workflow, caller, request, call, progressToken, exchange))
                    .doFinally(signal -> cancellations.forget(caller));
        });
    }

    private Uni<McpSchema.CallToolResult> start(String workflow, McpCaller caller, McpSchema.CallToolRequest request,
            McpCancellations.Call call, Object progressToken, McpAsyncServerExchange exchange) {
        JsonNode inputs = request.arguments() == null ? JsonNodeFactory.instance.objectNode()
                : views.asJson(request.arguments());
        StartCommand command = new StartCommand(caller.tenant(), workflow, null, inputs, ExecutionMode.SYNC,
                syncWaitMs, null, Channel.MCP.label(), caller.nexusSession());
        return starter.start(command, null)
                .chain(response -> {
                    if (response.status() == 200) {
                        return Uni.createFrom().item(outcome((ExecutionOutcomeView) response.body()));
                    }
                    UUID id = UUID.fromString(((ExecutionAcceptedView) response.body()).executionId());
                    call.started(id);
                    return follow(caller, id, progressToken, exchange);
                })
                .onFailure(ProblemException.class).recoverWithUni(failure -> {
                    ProblemException problem = (ProblemException) failure;
                    if (McpErrors.isCallersMistake(problem)) {
                        return Uni.createFrom().failure(McpErrors.asJsonRpcError(problem));
                    }
                    return Uni.createFrom().item(McpErrors.failedResult(problem));
                });
    }

    /** Follows a running execution to its end, reporting each step as progress when the client asked for it. */
    private Uni<McpSchema.CallToolResult> follow(McpCaller caller, UUID id, Object progressToken,
            McpAsyncServerExchange exchange) {
        AtomicInteger steps = new AtomicInteger();
        return events.follow(caller.tenant(), id)
                .onItem().call(event -> progressToken != null && ExecutionEvent.STEP.equals(event.name())
                        ? progress(exchange, progressToken, steps.incrementAndGet(), (StepView) event.data())
                        : Uni.createFrom().voidItem())
                .select().where(event -> ExecutionEvent.END.equals(event.name()))
                .toUni()
                .chain(end -> end != null ? Uni.createFrom().item(outcome((ExecutionOutcomeView) end.data()))
                        // The stream gave up (the execution outlived its deadline): say where it stands.
                        : executions.get(caller.tenant(), id).map(view -> McpErrors.failedResult("execution " + id
                                + " is still " + view.status() + "; read it with nexus_get_execution")));
    }

    private static Uni<Void> progress(McpAsyncServerExchange exchange, Object token, int steps, StepView step) {
        McpSchema.ProgressNotification notification = new McpSchema.ProgressNotification(token, steps, null,
                "step '" + step.node() + "' " + step.status());
        return Uni.createFrom().completionStage(() -> exchange.progressNotification(notification).toFuture())
                .replaceWithVoid();
    }

    /** The outcome as a sync start answers it; a failed, cancelled or timed-out execution is an error result. */
    private McpSchema.CallToolResult outcome(ExecutionOutcomeView outcome) {
        if ("completed".equals(outcome.status())) {
            return views.result(outcome);
        }
        String why = outcome.error() == null ? outcome.status()
                : outcome.error().code() + (outcome.error().node() == null ? "" : " at node '"
                        + outcome.error().node() + "'") + ": " + outcome.error().message();
        return McpSchema.CallToolResult.builder().structuredContent(views.asMap(outcome))
                .addTextContent("execution " + outcome.executionId() + " " + outcome.status() + ": " + why)
                .isError(true).build();
    }

    private void cancel(McpCaller caller, UUID id) {
        caller.run(() -> executions.cancel(caller.tenant(), id))
                .subscribe(view -> LOG.debugf("Execution %s cancelled by its MCP client", id),
                        failure -> LOG.debugf("Execution %s could not be cancelled: %s", id, failure.getMessage()));
    }
}
