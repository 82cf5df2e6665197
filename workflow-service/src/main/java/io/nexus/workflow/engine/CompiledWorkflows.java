package io.nexus.workflow.engine;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.nexus.workflow.definition.CompiledWorkflow;
import io.nexus.workflow.definition.DefinitionParser;
import io.nexus.workflow.definition.ParsedDefinition;
import io.nexus.workflow.engine.scheduling.GraphEdge;
import io.nexus.workflow.engine.scheduling.WorkflowGraph;
import io.nexus.workflow.repository.WorkflowRepository;
import io.smallrye.mutiny.Uni;

/**
 * Definition versions compiled once (CEL programs, JSON Schema, graph) and cached by version id: versions are
 * immutable, so an entry never goes stale, and every replica compiles a version at most once while it is used.
 */
@ApplicationScoped
public class CompiledWorkflows {

    private final Cache<UUID, Entry> cache = Caffeine.newBuilder().maximumSize(10_000).build();
    private final WorkflowRepository workflows;
    private final DefinitionParser parser;

    public CompiledWorkflows(WorkflowRepository workflows, DefinitionParser parser) {
        this.workflows = workflows;
        this.parser = parser;
    }

    /** The compiled version; fails if the stored definition no longer compiles (it did when it was registered). */
    public Uni<Entry> get(UUID versionId) {
        Entry cached = cache.getIfPresent(versionId);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        return workflows.definitionOf(versionId).map(definition -> {
            if (definition == null) {
                throw new IllegalStateException("workflow version " + versionId + " does not exist");
            }
            return cache.get(versionId, id -> compile(definition));
        });
    }

    /** Caches what registration just compiled, so the first start does not compile it again. */
    public Entry put(UUID versionId, CompiledWorkflow workflow) {
        Entry entry = new Entry(workflow, graphOf(workflow));
        cache.put(versionId, entry);
        return entry;
    }

    private Entry compile(JsonNode definition) {
        ParsedDefinition parsed = parser.parse(definition);
        if (!parsed.valid()) {
            throw new IllegalStateException("a stored definition no longer validates: " + parsed.errors());
        }
        return new Entry(parsed.workflow(), graphOf(parsed.workflow()));
    }

    private static WorkflowGraph graphOf(CompiledWorkflow workflow) {
        List<String> ids = workflow.definition().nodes().stream().map(node -> node.id()).toList();
        List<GraphEdge> edges = workflow.definition().edges().stream()
                .map(edge -> new GraphEdge(edge.from(), edge.to())).toList();
        return WorkflowGraph.of(ids, edges);
    }

    /** A version ready to run. */
    public record Entry(CompiledWorkflow workflow, WorkflowGraph graph) {
    }
}
