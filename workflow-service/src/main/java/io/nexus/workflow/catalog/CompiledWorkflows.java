package io.nexus.workflow.catalog;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.nexus.workflow.definition.CompiledWorkflow;
import io.nexus.workflow.definition.DefinitionParser;
import io.nexus.workflow.definition.ParsedDefinition;
import io.nexus.workflow.engine.scheduling.GraphEdge;
import io.nexus.workflow.engine.scheduling.WorkflowGraph;
import io.nexus.workflow.expression.EvaluationContext;
import io.nexus.workflow.expression.EvaluationPool;
import io.nexus.workflow.expression.ExpressionFailure;
import io.nexus.workflow.repository.WorkflowRepository;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;

/**
 * Definition versions compiled once (CEL programs, JSON Schema, graph) and cached by version id: versions are
 * immutable, so an entry never goes stale, and every replica compiles a version at most once while it is used.
 */
@ApplicationScoped
public class CompiledWorkflows {

    private static final Logger LOG = Logger.getLogger(CompiledWorkflows.class);

    private final Cache<UUID, Entry> cache = Caffeine.newBuilder().maximumSize(10_000).build();
    private final WorkflowRepository workflows;
    private final DefinitionParser parser;
    private final EvaluationPool pool;

    public CompiledWorkflows(WorkflowRepository workflows, DefinitionParser parser, EvaluationPool pool) {
        this.workflows = workflows;
        this.parser = parser;
        this.pool = pool;
    }

    /**
     * Parses a definition off the event loop, in the executions' lane: for definitions that were valid once (a
     * marketplace install, consumed one at a time), never refused.
     */
    public Uni<ParsedDefinition> parse(JsonNode definition) {
        return Uni.createFrom().item(() -> parser.parse(definition)).runSubscriptionOn(pool);
    }

    /**
     * Parses a tenant's registration in the pool's bounded compile lane ({@link EvaluationPool#compile}): fails at
     * once with {@link EvaluationPool.Saturated} when the lane or the tenant's share of it is full. Cancelling the
     * Uni (its client went away) drops the work if it has not started and stops it between expressions if it has.
     */
    public Uni<ParsedDefinition> parse(UUID tenant, JsonNode definition) {
        return Uni.createFrom().deferred(() -> {
            AtomicBoolean cancelled = new AtomicBoolean();
            CompletableFuture<ParsedDefinition> work = pool.compile(tenant.toString(),
                    () -> parser.parse(definition, cancelled::get));
            return Uni.createFrom().completionStage(work).onCancellation().invoke(() -> {
                cancelled.set(true);
                work.cancel(false);
            });
        });
    }

    /** The compiled version; fails if the stored definition no longer compiles (it did when it was registered). */
    public Uni<Entry> get(UUID versionId) {
        Entry cached = cache.getIfPresent(versionId);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        return workflows.definitionOf(versionId)
                .onItem().ifNull().failWith(() -> new IllegalStateException("workflow version " + versionId
                        + " does not exist"))
                .emitOn(pool)
                .map(definition -> cache.get(versionId, id -> compile(definition)));
    }

    /** Caches what registration just compiled, so the first start does not compile it again. */
    public Entry put(UUID versionId, CompiledWorkflow workflow) {
        Entry entry = Entry.of(workflow);
        cache.put(versionId, entry);
        return entry;
    }

    /**
     * Compiles a small definition at start-up: the first CEL compile and the first JSON Schema load initialise
     * libraries for seconds, which must not happen inside someone's request.
     */
    void warmUp(@Observes StartupEvent event) {
        JsonNode sample;
        try {
            sample = new ObjectMapper().readTree("""
                    {"name": "warm-up", "inputSchema": {"type": "object", "properties": {"x": {"type": "integer"}}},
                     "nodes": [{"id": "a", "type": "transform", "config": {"expression": "{'y': inputs.x * 2}"}},
                               {"id": "b", "type": "condition", "config": {"expression": "nodes.a.y > 1"}}],
                     "edges": [{"from": "a", "to": "b", "when": "has(nodes.a)"}]}""");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        long began = System.nanoTime();
        Entry entry = compile(sample);
        JsonNode inputs = sample.path("nodes"); // any JSON that is not an object: exercises the error path too
        entry.workflow().validateInputs(inputs);
        try {
            entry.workflow().nodeExpression("a", "expression")
                    .evaluate(EvaluationContext.ofInputs(new ObjectMapper().readTree("{\"x\": 2}")));
        } catch (ExpressionFailure | JsonProcessingException e) {
            LOG.warnf("The warm-up expression failed: %s", e.getMessage());
        }
        LOG.infof("Expression and schema libraries warmed up in %d ms", (System.nanoTime() - began) / 1_000_000);
    }

    private Entry compile(JsonNode definition) {
        ParsedDefinition parsed = parser.parse(definition);
        if (!parsed.valid()) {
            throw new IllegalStateException("a stored definition no longer validates: " + parsed.errors());
        }
        return Entry.of(parsed.workflow());
    }

    /** A version ready to run: its compiled definition and its graph. */
    public record Entry(CompiledWorkflow workflow, WorkflowGraph graph) {

        public static Entry of(CompiledWorkflow workflow) {
            List<String> ids = workflow.definition().nodes().stream().map(node -> node.id()).toList();
            List<GraphEdge> edges = workflow.definition().edges().stream()
                    .map(edge -> new GraphEdge(edge.from(), edge.to())).toList();
            return new Entry(workflow, WorkflowGraph.of(ids, edges));
        }
    }
}
