package io.nexus.workflow.mcp;

import java.util.List;
import java.util.function.BiFunction;

import jakarta.enterprise.context.ApplicationScoped;

import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.server.McpServerFeatures.AsyncResourceTemplateSpecification;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.nexus.common.ids.Ids;
import io.nexus.common.identity.Permission;
import io.nexus.common.problem.ProblemException;
import io.nexus.workflow.service.ExecutionService;
import io.nexus.workflow.service.WorkflowService;
import io.smallrye.mutiny.Uni;
import reactor.core.publisher.Mono;

/**
 * Read-only resources: {@code nexus://workflows/{name}} (the latest version's definition, as
 * {@code GET /api/v1/workflows/{name}} shows it) and {@code nexus://executions/{id}} (the execution with its steps).
 * An unknown or foreign name or id is the same "resource not found" error.
 */
@ApplicationScoped
class McpResources {

    static final String WORKFLOWS = "nexus://workflows/";
    static final String EXECUTIONS = "nexus://executions/";

    private final WorkflowService workflows;
    private final ExecutionService executions;
    private final McpViews views;

    McpResources(WorkflowService workflows, ExecutionService executions, McpViews views) {
        this.workflows = workflows;
        this.executions = executions;
        this.views = views;
    }

    List<AsyncResourceTemplateSpecification> templates() {
        return List.of(
                template(WORKFLOWS + "{name}", "workflow", "A workflow's latest definition",
                        (caller, name) -> workflows.get(caller.tenant(), name, null)),
                template(EXECUTIONS + "{id}", "execution", "An execution's state, inputs, outputs and steps",
                        (caller, id) -> executions.get(caller.tenant(), Ids.parseOrNotFound(id, "execution"))));
    }

    private AsyncResourceTemplateSpecification template(String uriTemplate, String name, String description,
            BiFunction<McpCaller, String, Uni<?>> read) {
        McpSchema.ResourceTemplate template = McpSchema.ResourceTemplate.builder(uriTemplate, name)
                .description(description).mimeType("application/json").build();
        String prefix = uriTemplate.substring(0, uriTemplate.indexOf('{'));
        return new AsyncResourceTemplateSpecification(template,
                (exchange, request) -> read(exchange, request, prefix, read));
    }

    private Mono<McpSchema.ReadResourceResult> read(McpAsyncServerExchange exchange,
            McpSchema.ReadResourceRequest request, String prefix, BiFunction<McpCaller, String, Uni<?>> read) {
        return Mono.defer(() -> {
            McpCaller caller = McpCaller.of(exchange);
            caller.require(Permission.READ, "read this tenant's resources");
            String key = request.uri().substring(prefix.length());
            if (key.isEmpty() || key.contains("/")) {
                throw notFound(request.uri());
            }
            return caller.run(() -> Uni.createFrom().deferred(() -> read.apply(caller, key))
                    .onFailure(ProblemException.class).transform(failure -> notFound(request.uri()))
                    .map(view -> new McpSchema.ReadResourceResult(List.of(new McpSchema.TextResourceContents(
                            request.uri(), "application/json", views.asText(view))))));
        });
    }

    private static McpError notFound(String uri) {
        return McpError.RESOURCE_NOT_FOUND.apply(uri);
    }
}
