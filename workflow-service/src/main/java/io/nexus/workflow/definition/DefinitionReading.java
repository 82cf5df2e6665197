package io.nexus.workflow.definition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;

import io.nexus.common.problem.FieldError;
import io.nexus.workflow.definition.ExpressionFields.Expecting;
import io.nexus.workflow.expression.CompiledExpression;
import io.nexus.workflow.expression.ExpressionEngine;

/**
 * One run of {@link DefinitionParser#parse}: reads the top-level fields and the nodes, delegates configs to
 * {@link NodeConfigs}, edges to {@link EdgeRules} and the input schema to {@link InputSchema}, and collects every
 * violation on the way. Builds the workflow only when there were none.
 */
final class DefinitionReading {

    private static final Set<String> TOP_LEVEL_FIELDS = Set.of("name", "description", "timeoutMs", "inputSchema",
            "nodes", "edges", "output", "events");
    private static final Set<String> NODE_FIELDS = Set.of("id", "type", "config", "retry", "timeoutMs", "onError");
    private static final Set<String> RETRY_FIELDS = Set.of("maxAttempts", "backoffMs");
    private static final List<String> EVENTS = List.of("none", "steps");
    private static final List<String> ON_ERROR = List.of("fail", "continue");

    private final ExpressionEngine engine;
    private final JsonNode body;
    private final Violations violations = new Violations();
    private final Map<String, Map<String, CompiledExpression>> nodeExpressions = new HashMap<>();

    private final BooleanSupplier cancelled;

    DefinitionReading(ExpressionEngine engine, JsonNode body, BooleanSupplier cancelled) {
        this.engine = engine;
        this.body = body;
        this.cancelled = cancelled;
    }

    ParsedDefinition read() {
        List<FieldError> oversized = DefinitionLimits.oversized(body);
        if (!oversized.isEmpty()) {
            // Nothing more is read, let alone compiled: the work would be wasted, and it was once a lever for one
            // tenant to keep the shared expression threads busy.
            return ParsedDefinition.invalid(oversized);
        }
        ObjectReader top = new ObjectReader(body, "", violations);
        top.allowOnly(TOP_LEVEL_FIELDS);
        String name = top.matching("name", true, DefinitionRules.WORKFLOW_NAME,
                quoted -> "invalid workflow name " + quoted + ": must match " + DefinitionRules.WORKFLOW_NAME)
                .orElse(null);
        String description = description(top);
        Long timeoutMs = top.integer("timeoutMs", false, 1, DefinitionRules.MAX_WORKFLOW_TIMEOUT_MS).orElse(null);
        JsonNode inputSchemaNode = top.raw("inputSchema");
        InputSchema inputSchema = inputSchemaNode == null ? null
                : InputSchema.read(inputSchemaNode, "inputSchema", violations);
        JsonNode nodesArray = nodesArray(top);
        List<String> declaredIds = declaredNodeIds(nodesArray);
        ExpressionFields expressions = new ExpressionFields(engine, Set.copyOf(declaredIds), violations, cancelled);
        List<NodeDefinition> nodes = nodes(nodesArray, new NodeConfigs(expressions, violations));
        EdgeRules.Edges edges = new EdgeRules(expressions, violations)
                .read(top.array("edges", false).orElse(null), "edges", List.copyOf(new LinkedHashSet<>(declaredIds)));
        JsonNode outputNode = top.raw("output");
        CompiledExpression output = outputNode == null ? null
                : expressions.compile(outputNode, "output", Expecting.ANY);
        StepEvents events = top.choice("events", false, EVENTS, "events value")
                .map(value -> StepEvents.valueOf(value.toUpperCase(Locale.ROOT))).orElse(StepEvents.NONE);

        if (violations.any()) {
            return ParsedDefinition.invalid(violations.list());
        }
        WorkflowDefinition definition = new WorkflowDefinition(name, description, timeoutMs,
                inputSchemaNode == null ? null : inputSchemaNode.deepCopy(), nodes, edges.edges(),
                outputNode == null ? null : outputNode.textValue(), events);
        return ParsedDefinition.valid(new CompiledWorkflow(definition, nodeExpressions, edges.conditions(), output,
                inputSchema, engine.limits().maxValueBytes()));
    }

    private String description(ObjectReader top) {
        String description = top.text("description", false).orElse(null);
        if (description != null) {
            int length = description.codePointCount(0, description.length());
            if (length > DefinitionRules.MAX_DESCRIPTION_CHARS) {
                violations.add("description", String.format(Locale.ROOT, "is %,d characters, the limit is %,d",
                        length, DefinitionRules.MAX_DESCRIPTION_CHARS));
                return null;
            }
        }
        return description;
    }

    private JsonNode nodesArray(ObjectReader top) {
        JsonNode nodes = top.array("nodes", true).orElse(null);
        if (nodes == null) {
            return null;
        }
        if (nodes.isEmpty()) {
            violations.add("nodes", "must have at least one node");
        }
        return nodes;
    }

    /**
     * Every id the nodes declare, valid or not: references to a node whose id is malformed are reported once, at
     * the id, rather than again at every edge and expression that names it.
     */
    private static List<String> declaredNodeIds(JsonNode nodesArray) {
        List<String> ids = new ArrayList<>();
        if (nodesArray != null) {
            for (JsonNode node : nodesArray) {
                JsonNode id = node.get("id");
                if (id != null && id.isTextual()) {
                    ids.add(id.textValue());
                }
            }
        }
        return ids;
    }

    private List<NodeDefinition> nodes(JsonNode nodesArray, NodeConfigs configs) {
        List<NodeDefinition> nodes = new ArrayList<>();
        if (nodesArray == null) {
            return nodes;
        }
        Set<String> seenIds = new HashSet<>();
        for (int i = 0; i < nodesArray.size(); i++) {
            NodeDefinition node = node(nodesArray.get(i), FieldPaths.index("nodes", i), seenIds, configs);
            if (node != null) {
                nodes.add(node);
            }
        }
        return nodes;
    }

    private NodeDefinition node(JsonNode node, String path, Set<String> seenIds, NodeConfigs configs) {
        if (!node.isObject()) {
            violations.add(path, "must be an object, got " + JsonText.describe(node));
            return null;
        }
        ObjectReader reader = new ObjectReader(node, path, violations);
        reader.allowOnly(NODE_FIELDS);
        String id = nodeId(reader, seenIds);
        NodeType type = reader.text("type", true).map(wire -> {
            NodeType known = NodeType.fromWire(wire).orElse(null);
            if (known == null) {
                violations.add(reader.path("type"), "unknown node type " + JsonText.quote(wire));
            }
            return known;
        }).orElse(null);
        NodeConfigs.Config config = type == null ? null
                : configs.read(type, reader.raw("config"), reader.path("config"));
        RetryPolicy retry = reader.object("retry", false).map(value -> retry(value, reader.path("retry"))).orElse(null);
        Long timeoutMs = reader.integer("timeoutMs", false, 1, DefinitionRules.MAX_NODE_TIMEOUT_MS).orElse(null);
        OnError onError = reader.choice("onError", false, ON_ERROR, "onError")
                .map(value -> OnError.valueOf(value.toUpperCase(Locale.ROOT))).orElse(OnError.FAIL);
        if (id == null || type == null || config == null) {
            return null;
        }
        nodeExpressions.put(id, config.expressions());
        return new NodeDefinition(id, type, config.normalized(), retry, timeoutMs, onError);
    }

    private String nodeId(ObjectReader reader, Set<String> seenIds) {
        String id = reader.matching("id", true, DefinitionRules.NODE_ID,
                quoted -> "invalid node id " + quoted + ": must match " + DefinitionRules.NODE_ID).orElse(null);
        if (id == null) {
            return null;
        }
        if (DefinitionRules.CEL_RESERVED_WORDS.contains(id)) {
            violations.add(reader.path("id"), "node id " + JsonText.quote(id)
                    + " is a CEL reserved word, so nodes." + id + " could not be written");
            return null;
        }
        if (!seenIds.add(id)) {
            violations.add(reader.path("id"), "duplicate node id " + JsonText.quote(id));
            return null;
        }
        return id;
    }

    private RetryPolicy retry(JsonNode retry, String path) {
        ObjectReader reader = new ObjectReader(retry, path, violations);
        reader.allowOnly(RETRY_FIELDS);
        Long maxAttempts = reader.integer("maxAttempts", true, 1, DefinitionRules.MAX_ATTEMPTS).orElse(null);
        Long backoffMs = reader.integer("backoffMs", false, 0, DefinitionRules.MAX_BACKOFF_MS).orElse(0L);
        return maxAttempts == null ? null : new RetryPolicy(maxAttempts.intValue(), backoffMs);
    }
}
