package io.nexus.workflow.engine.scheduling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class WorkflowGraphTest {

    @Test
    void indexesEdgesByListPosition() {
        WorkflowGraph graph = WorkflowGraph.of(List.of("a", "b", "c"),
                List.of(new GraphEdge("a", "b"), new GraphEdge("a", "c"), new GraphEdge("b", "c")));

        assertEquals(List.of(0, 1), graph.outgoing("a"));
        assertEquals(List.of(1, 2), graph.incoming("c"));
        assertEquals(List.of(), graph.incoming("a"));
        assertEquals(new GraphEdge("b", "c"), graph.edge(2));
        assertEquals(List.of("a", "b", "c"), graph.nodeIds());
    }

    @Test
    void listsLeavesInDeclarationOrder() {
        WorkflowGraph graph = WorkflowGraph.of(List.of("z", "a", "m", "b"),
                List.of(new GraphEdge("a", "z"), new GraphEdge("a", "b")));

        assertEquals(List.of("z", "m", "b"), graph.leaves());
    }

    @Test
    void ordersEveryNodeAfterItsPredecessors() {
        WorkflowGraph graph = WorkflowGraph.of(List.of("d", "c", "b", "a"),
                List.of(new GraphEdge("a", "b"), new GraphEdge("b", "c"), new GraphEdge("a", "c"),
                        new GraphEdge("c", "d")));

        assertEquals(List.of("a", "b", "c", "d"), graph.topologicalOrder());
    }

    @Test
    void acceptsAnEmptyGraph() {
        WorkflowGraph graph = WorkflowGraph.of(List.of(), List.of());

        assertEquals(List.of(), graph.topologicalOrder());
        assertEquals(List.of(), graph.leaves());
    }

    @Test
    void rejectsDuplicateNodeIds() {
        assertThrows(IllegalArgumentException.class, () -> WorkflowGraph.of(List.of("a", "a"), List.of()));
    }

    @Test
    void rejectsEdgesToUnknownNodes() {
        assertThrows(IllegalArgumentException.class,
                () -> WorkflowGraph.of(List.of("a"), List.of(new GraphEdge("a", "ghost"))));
        assertThrows(IllegalArgumentException.class,
                () -> WorkflowGraph.of(List.of("a"), List.of(new GraphEdge("ghost", "a"))));
    }

    @Test
    void rejectsCycles() {
        assertThrows(IllegalArgumentException.class, () -> WorkflowGraph.of(List.of("a", "b", "c"),
                List.of(new GraphEdge("a", "b"), new GraphEdge("b", "c"), new GraphEdge("c", "b"))));
    }

    @Test
    void rejectsSelfLoops() {
        assertThrows(IllegalArgumentException.class,
                () -> WorkflowGraph.of(List.of("a"), List.of(new GraphEdge("a", "a"))));
    }

    @Test
    void rejectsUnknownNodeInLookups() {
        WorkflowGraph graph = WorkflowGraph.of(List.of("a"), List.of());

        assertThrows(IllegalArgumentException.class, () -> graph.outgoing("ghost"));
    }
}
