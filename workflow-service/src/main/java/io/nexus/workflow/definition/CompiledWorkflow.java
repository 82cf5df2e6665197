package io.nexus.workflow.definition;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.nexus.common.problem.FieldError;
import io.nexus.workflow.expression.CompiledExpression;

/**
 * A valid definition with everything an execution needs precompiled: node, edge and output expressions and the
 * input schema. Immutable and safe to share between executions and threads; build it once per workflow version
 * ({@link DefinitionParser#parse} of the stored {@link #canonicalJson()}) and cache it.
 */
public final class CompiledWorkflow {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HEADER_PREFIX = "headers.";

    private final WorkflowDefinition definition;
    private final Map<String, Map<String, CompiledExpression>> nodeExpressions;
    private final List<CompiledExpression> edgeConditions;
    private final CompiledExpression output;
    private final InputSchema inputSchema;
    private final int maxInputBytes;
    private final JsonNode canonicalJson;
    /** Nodes with a config expression that reads {@code session}. */
    private final Set<String> nodesReadingSession;
    private final boolean readsSession;

    CompiledWorkflow(WorkflowDefinition definition, Map<String, Map<String, CompiledExpression>> nodeExpressions,
            List<CompiledExpression> edgeConditions, CompiledExpression output, InputSchema inputSchema,
            int maxInputBytes) {
        this.definition = definition;
        this.nodeExpressions = Map.copyOf(nodeExpressions);
        // Arrays.asList, not List.copyOf: an edge without "when" has a null condition.
        this.edgeConditions = Collections.unmodifiableList(Arrays.asList(
                edgeConditions.toArray(CompiledExpression[]::new)));
        this.output = output;
        this.inputSchema = inputSchema;
        this.maxInputBytes = maxInputBytes;
        this.canonicalJson = CanonicalJson.of(definition);
        Set<String> readers = new HashSet<>();
        nodeExpressions.forEach((node, expressions) -> {
            if (expressions.values().stream().anyMatch(CompiledExpression::readsSession)) {
                readers.add(node);
            }
        });
        this.nodesReadingSession = Set.copyOf(readers);
        this.readsSession = !readers.isEmpty() || (output != null && output.readsSession())
                || this.edgeConditions.stream().anyMatch(when -> when != null && when.readsSession());
    }

    static String headerKey(String headerName) {
        return HEADER_PREFIX + headerName;
    }

    public WorkflowDefinition definition() {
        return definition;
    }

    /**
     * A node's compiled config expression, or null when the node has none under that key. Keys: {@code expression}
     * (transform, condition), {@code message} (fail), {@code data} (event), {@code merge} (session), {@code url}
     * and {@code body} (http), {@code until} (delay), {@code inputs} (subworkflow); http headers are also under
     * {@code headers.<name>}, and all together in {@link #headerExpressions}.
     */
    public CompiledExpression nodeExpression(String nodeId, String configKey) {
        return nodeExpressions.getOrDefault(nodeId, Map.of()).get(configKey);
    }

    /** An http node's header expressions by header name, in declaration order; empty when it has none. */
    public Map<String, CompiledExpression> headerExpressions(String nodeId) {
        Map<String, CompiledExpression> headers = new LinkedHashMap<>();
        nodeExpressions.getOrDefault(nodeId, Map.of()).forEach((key, expression) -> {
            if (key.startsWith(HEADER_PREFIX)) {
                headers.put(key.substring(HEADER_PREFIX.length()), expression);
            }
        });
        return headers;
    }

    /**
     * Whether any expression of the workflow reads {@code session}: only then does an execution load its session's
     * data for expressions (docs/api.md §5.4).
     */
    public boolean readsSession() {
        return readsSession;
    }

    /** The tenant secrets an http node's url, headers and body read ({@code secrets.NAME}); empty for other nodes. */
    public Set<String> nodeSecrets(String nodeId) {
        Set<String> names = new TreeSet<>();
        nodeExpressions.getOrDefault(nodeId, Map.of()).values()
                .forEach(expression -> names.addAll(expression.referencedSecrets()));
        return names;
    }

    /** Whether one of the node's config expressions reads {@code session}. */
    public boolean nodeReadsSession(String nodeId) {
        return nodesReadingSession.contains(nodeId);
    }

    /** The condition of {@code definition().edges().get(edgeIndex)}; null when the edge is always taken. */
    public CompiledExpression edgeCondition(int edgeIndex) {
        return edgeConditions.get(edgeIndex);
    }

    /** The {@code output} expression; null for the default (a map of the completed leaf nodes' outputs). */
    public CompiledExpression output() {
        return output;
    }

    /**
     * Problems with an execution's inputs, empty when they may start it: inputs must be an object within the value
     * size bound (docs/api.md §5) and satisfy {@code inputSchema} when there is one. Fields are under {@code inputs}.
     */
    public List<FieldError> validateInputs(JsonNode inputs) {
        if (inputs == null || !inputs.isObject()) {
            return List.of(new FieldError("inputs", "must be an object, got " + JsonText.describe(inputs)));
        }
        long size = serializedSize(inputs);
        if (size > maxInputBytes) {
            return List.of(new FieldError("inputs", String.format(Locale.ROOT,
                    "is %,d bytes serialized, the limit is %,d", size, maxInputBytes)));
        }
        return inputSchema == null ? List.of() : inputSchema.validate(inputs, "inputs");
    }

    /** The definition as stored (see {@link CanonicalJson}); a copy, free to change. */
    public JsonNode canonicalJson() {
        return canonicalJson.deepCopy();
    }

    private static long serializedSize(JsonNode value) {
        try {
            return JSON.writeValueAsBytes(value).length;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree that does not serialize", e);
        }
    }
}
