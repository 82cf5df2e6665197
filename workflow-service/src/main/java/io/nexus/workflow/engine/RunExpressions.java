package io.nexus.workflow.engine;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.nexus.workflow.definition.CompiledWorkflow;
import io.nexus.workflow.definition.NodeDefinition;
import io.nexus.workflow.definition.NodeType;
import io.nexus.workflow.domain.ExecutionError;
import io.nexus.workflow.engine.scheduling.WorkflowGraph;
import io.nexus.workflow.expression.CompiledExpression;
import io.nexus.workflow.expression.EvaluationContext;
import io.nexus.workflow.expression.ExpressionFailure;

/**
 * The workflow's expressions over the run's state (docs/api.md §5): node configs, edge conditions and the output,
 * each seeing the inputs and the results so far. CPU work: called on the run's serial executor, off the event loop.
 */
final class RunExpressions {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final CompiledWorkflow workflow;
    private final JsonNode inputs;
    private final NodeProgress progress;
    /** The {@code session} variable once known ({@link RunSession}); null until then, and when there is none. */
    private JsonNode session;
    private boolean sessionKnown;

    RunExpressions(CompiledWorkflow workflow, JsonNode inputs, NodeProgress progress) {
        this.workflow = workflow;
        this.inputs = inputs;
        this.progress = progress;
    }

    EvaluationContext context() {
        return new EvaluationContext(inputs, progress.results(), session);
    }

    /** What {@code session} is from now on: the session's data, or null when the session is gone. */
    void sessionIs(JsonNode data) {
        session = data;
        sessionKnown = true;
    }

    boolean sessionKnown() {
        return sessionKnown;
    }

    boolean nodeReadsSession(String nodeId) {
        return workflow.nodeReadsSession(nodeId);
    }

    /** Whether a condition of the node's outgoing edges reads {@code session}. */
    boolean edgesReadSession(String nodeId, WorkflowGraph graph) {
        for (int edge : graph.outgoing(nodeId)) {
            CompiledExpression when = workflow.edgeCondition(edge);
            if (when != null && when.readsSession()) {
                return true;
            }
        }
        return false;
    }

    boolean outputReadsSession() {
        return workflow.output() != null && workflow.output().readsSession();
    }

    /** The value of a node's config expression; JSON null when the node has none under {@code key}. */
    NodeOutcome evaluate(String nodeId, String key) {
        CompiledExpression expression = workflow.nodeExpression(nodeId, key);
        if (expression == null) {
            return NodeOutcome.success(JSON.nullNode());
        }
        try {
            return NodeOutcome.success(expression.evaluate(context()));
        } catch (ExpressionFailure e) {
            return NodeOutcome.failure(e.code(), e.getMessage());
        }
    }

    /**
     * A transform's value or a condition's boolean. Pure nodes cannot be interrupted mid-evaluation (the cost bound
     * stops them); a slow one still fails with {@code timeout} when it took longer than its {@code timeoutMs}.
     */
    NodeOutcome pureNode(NodeDefinition node) {
        long began = System.nanoTime();
        NodeOutcome outcome = node.type() == NodeType.CONDITION ? condition(node.id())
                : evaluate(node.id(), "expression");
        if (node.timeoutMs() != null && !outcome.failed()
                && (System.nanoTime() - began) / 1_000_000 > node.timeoutMs()) {
            return NodeOutcome.failure(ExecutionError.TIMEOUT, "node '" + node.id() + "' took longer than its "
                    + node.timeoutMs() + " ms");
        }
        return outcome;
    }

    private NodeOutcome condition(String nodeId) {
        try {
            return NodeOutcome.success(BooleanNode.valueOf(
                    workflow.nodeExpression(nodeId, "expression").evaluateBoolean(context())));
        } catch (ExpressionFailure e) {
            return NodeOutcome.failure(e.code(), e.getMessage());
        }
    }

    /** Which of the node's outgoing edges are taken, or why their conditions could not be decided. */
    TakenEdges takenEdges(String nodeId, WorkflowGraph graph) {
        Set<Integer> taken = new HashSet<>();
        EvaluationContext context = context();
        for (int edge : graph.outgoing(nodeId)) {
            CompiledExpression when = workflow.edgeCondition(edge);
            try {
                if (when == null || when.evaluateBoolean(context)) {
                    taken.add(edge);
                }
            } catch (ExpressionFailure e) {
                return new TakenEdges(taken, new ExecutionError(e.code(), "edge " + nodeId + " -> "
                        + graph.edge(edge).to() + ": " + e.getMessage(), nodeId));
            }
        }
        return new TakenEdges(taken, null);
    }

    /** The execution's outputs: the {@code output} expression, else the completed leaves' results by node id. */
    NodeOutcome output(List<String> completedLeaves) {
        CompiledExpression expression = workflow.output();
        if (expression != null) {
            try {
                return NodeOutcome.success(expression.evaluate(context()));
            } catch (ExpressionFailure e) {
                return NodeOutcome.failure(e.code(), "output: " + e.getMessage());
            }
        }
        ObjectNode leaves = JSON.objectNode();
        for (String leaf : completedLeaves) {
            leaves.set(leaf, progress.result(leaf));
        }
        return NodeOutcome.success(leaves);
    }

    /** The edges a completed node takes; {@code failure} set when a condition failed (the execution then fails). */
    record TakenEdges(Set<Integer> taken, ExecutionError failure) {
    }
}
