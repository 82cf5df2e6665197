package io.nexus.workflow.engine.scheduling;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable, precomputed adjacency of a definition's graph; built once per definition version and shared.
 *
 * <p>Nodes and edges are addressed by their position in the lists given to {@link #of}, so the engine can persist
 * edge decisions as small integers. The int-array views are package-private: they let {@link DagScheduler} step
 * without boxing or map look-ups, while callers only see immutable lists.
 */
public final class WorkflowGraph {

    private final List<String> nodeIds;
    private final Map<String, Integer> indexById;
    private final List<GraphEdge> edges;
    private final int[] edgeSource;
    private final int[] edgeTarget;
    private final int[][] outgoing;
    private final int[][] incoming;
    private final List<List<Integer>> outgoingLists;
    private final List<List<Integer>> incomingLists;
    private final List<String> leaves;
    private final List<String> topologicalOrder;

    private WorkflowGraph(List<String> nodeIds, Map<String, Integer> indexById, List<GraphEdge> edges,
            int[] edgeSource, int[] edgeTarget) {
        this.nodeIds = nodeIds;
        this.indexById = indexById;
        this.edges = edges;
        this.edgeSource = edgeSource;
        this.edgeTarget = edgeTarget;
        this.outgoing = adjacency(nodeIds.size(), edgeSource);
        this.incoming = adjacency(nodeIds.size(), edgeTarget);
        this.outgoingLists = boxed(outgoing);
        this.incomingLists = boxed(incoming);
        this.leaves = nodeIds.stream().filter(id -> outgoing[indexById.get(id)].length == 0).toList();
        this.topologicalOrder = sortTopologically();
    }

    /**
     * Builds the graph. Definitions are validated before they get here, but a bad graph would make the scheduler
     * hang or hand out nodes twice, so the invariants are checked again.
     *
     * @throws IllegalArgumentException on a duplicate node id, an edge to or from an unknown node, or a cycle
     */
    public static WorkflowGraph of(List<String> nodeIds, List<GraphEdge> edges) {
        List<String> ids = List.copyOf(nodeIds);
        List<GraphEdge> edgeList = List.copyOf(edges);
        Map<String, Integer> indexById = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            if (indexById.putIfAbsent(ids.get(i), i) != null) {
                throw new IllegalArgumentException("duplicate node id: " + ids.get(i));
            }
        }
        int[] source = new int[edgeList.size()];
        int[] target = new int[edgeList.size()];
        for (int e = 0; e < edgeList.size(); e++) {
            GraphEdge edge = edgeList.get(e);
            source[e] = requireNode(indexById, edge.from(), e);
            target[e] = requireNode(indexById, edge.to(), e);
        }
        return new WorkflowGraph(ids, Map.copyOf(indexById), edgeList, source, target);
    }

    private static int requireNode(Map<String, Integer> indexById, String id, int edgeIndex) {
        Integer index = indexById.get(id);
        if (index == null) {
            throw new IllegalArgumentException("edge " + edgeIndex + " references unknown node: " + id);
        }
        return index;
    }

    private static int[][] adjacency(int nodeCount, int[] endpointOfEdge) {
        int[] degree = new int[nodeCount];
        for (int node : endpointOfEdge) {
            degree[node]++;
        }
        int[][] result = new int[nodeCount][];
        for (int n = 0; n < nodeCount; n++) {
            result[n] = new int[degree[n]];
        }
        int[] filled = new int[nodeCount];
        for (int e = 0; e < endpointOfEdge.length; e++) {
            int node = endpointOfEdge[e];
            result[node][filled[node]++] = e;
        }
        return result;
    }

    private static List<List<Integer>> boxed(int[][] adjacency) {
        return Arrays.stream(adjacency).map(a -> Arrays.stream(a).boxed().toList()).toList();
    }

    /** Kahn's algorithm, seeded in declaration order so the result is deterministic; leftovers mean a cycle. */
    private List<String> sortTopologically() {
        int[] remaining = new int[nodeIds.size()];
        ArrayDeque<Integer> free = new ArrayDeque<>();
        for (int n = 0; n < nodeIds.size(); n++) {
            remaining[n] = incoming[n].length;
            if (remaining[n] == 0) {
                free.add(n);
            }
        }
        List<String> order = new ArrayList<>(nodeIds.size());
        while (!free.isEmpty()) {
            int n = free.poll();
            order.add(nodeIds.get(n));
            for (int e : outgoing[n]) {
                if (--remaining[edgeTarget[e]] == 0) {
                    free.add(edgeTarget[e]);
                }
            }
        }
        if (order.size() != nodeIds.size()) {
            throw new IllegalArgumentException("graph has a cycle");
        }
        return List.copyOf(order);
    }

    public List<String> nodeIds() {
        return nodeIds;
    }

    /** Indexes of the edges leaving {@code nodeId}, ascending. */
    public List<Integer> outgoing(String nodeId) {
        return outgoingLists.get(indexOf(nodeId));
    }

    /** Indexes of the edges entering {@code nodeId}, ascending. */
    public List<Integer> incoming(String nodeId) {
        return incomingLists.get(indexOf(nodeId));
    }

    public GraphEdge edge(int index) {
        return edges.get(index);
    }

    /** Nodes with no outgoing edges, in declaration order. */
    public List<String> leaves() {
        return leaves;
    }

    /** Every node after all of its predecessors; ties broken by declaration order. */
    public List<String> topologicalOrder() {
        return topologicalOrder;
    }

    int nodeCount() {
        return nodeIds.size();
    }

    int edgeCount() {
        return edges.size();
    }

    /** @throws IllegalArgumentException for an id that is not in this graph */
    int indexOf(String nodeId) {
        Integer index = indexById.get(Objects.requireNonNull(nodeId, "nodeId"));
        if (index == null) {
            throw new IllegalArgumentException("unknown node: " + nodeId);
        }
        return index;
    }

    String idAt(int index) {
        return nodeIds.get(index);
    }

    int[] outgoingEdges(int node) {
        return outgoing[node];
    }

    int incomingCount(int node) {
        return incoming[node].length;
    }

    int edgeSource(int edge) {
        return edgeSource[edge];
    }

    int edgeTarget(int edge) {
        return edgeTarget[edge];
    }
}
