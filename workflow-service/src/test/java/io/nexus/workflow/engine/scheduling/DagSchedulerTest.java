package io.nexus.workflow.engine.scheduling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class DagSchedulerTest {

    private static final Set<Integer> NONE = Set.of();

    /** Edges written "from>to"; nodes are declared in the order given. */
    private static WorkflowGraph graph(List<String> nodes, String... edges) {
        List<GraphEdge> list = new ArrayList<>();
        for (String edge : edges) {
            String[] ends = edge.split(">");
            list.add(new GraphEdge(ends[0], ends[1]));
        }
        return WorkflowGraph.of(nodes, list);
    }

    /** Completes a node with every outgoing edge taken. */
    private static List<String> completeAll(DagScheduler scheduler, WorkflowGraph graph, String node) {
        return scheduler.complete(node, Set.copyOf(graph.outgoing(node)), false);
    }

    @Test
    void runsALinearChainOneNodeAtATime() {
        WorkflowGraph graph = graph(List.of("a", "b", "c"), "a>b", "b>c");
        DagScheduler scheduler = new DagScheduler(graph);

        assertEquals(List.of("a"), scheduler.takeReady());
        assertEquals(List.of(), scheduler.takeReady());
        assertEquals(NodeState.RUNNING, scheduler.state("a"));
        assertEquals(NodeState.PENDING, scheduler.state("b"));
        completeAll(scheduler, graph, "a");
        assertEquals(List.of("b"), scheduler.takeReady());
        completeAll(scheduler, graph, "b");
        assertEquals(List.of("c"), scheduler.takeReady());
        assertFalse(scheduler.finished());
        completeAll(scheduler, graph, "c");

        assertTrue(scheduler.finished());
        assertFalse(scheduler.failed());
        assertEquals(Set.of("a", "b", "c"), scheduler.completed());
        assertEquals(List.of("c"), scheduler.completedLeaves());
    }

    @Test
    void runsDiamondBranchesTogetherAndJoinsAfterBoth() {
        WorkflowGraph graph = graph(List.of("a", "b", "c", "d"), "a>b", "a>c", "b>d", "c>d");
        DagScheduler scheduler = new DagScheduler(graph);

        scheduler.takeReady();
        completeAll(scheduler, graph, "a");
        assertEquals(List.of("b", "c"), scheduler.takeReady());
        completeAll(scheduler, graph, "c");
        assertEquals(List.of(), scheduler.takeReady(), "the join waits for its other branch");
        completeAll(scheduler, graph, "b");
        assertEquals(List.of("d"), scheduler.takeReady());
        completeAll(scheduler, graph, "d");

        assertTrue(scheduler.finished());
        assertEquals(List.of("d"), scheduler.completedLeaves());
    }

    @Test
    void runsOnlyTheBranchWhoseConditionHeld() {
        WorkflowGraph graph = graph(List.of("check", "yes", "no"), "check>yes", "check>no");

        DagScheduler whenTrue = new DagScheduler(graph);
        whenTrue.takeReady();
        assertEquals(List.of("no"), whenTrue.complete("check", Set.of(0), false));
        assertEquals(List.of("yes"), whenTrue.takeReady());
        assertEquals(NodeState.SKIPPED, whenTrue.state("no"));

        DagScheduler whenFalse = new DagScheduler(graph);
        whenFalse.takeReady();
        assertEquals(List.of("yes"), whenFalse.complete("check", Set.of(1), false));
        assertEquals(List.of("no"), whenFalse.takeReady());
        whenFalse.complete("no", NONE, false);
        assertTrue(whenFalse.finished());
        assertEquals(List.of("no"), whenFalse.completedLeaves());
    }

    @Test
    void propagatesASkipThroughAChain() {
        WorkflowGraph graph = graph(List.of("a", "b", "c", "d", "e"), "a>b", "b>c", "c>d", "a>e");
        DagScheduler scheduler = new DagScheduler(graph);

        scheduler.takeReady();
        List<String> skipped = scheduler.complete("a", Set.of(3), false);

        assertEquals(List.of("b", "c", "d"), skipped);
        assertEquals(List.of("e"), scheduler.takeReady());
        completeAll(scheduler, graph, "e");
        assertTrue(scheduler.finished());
    }

    @Test
    void runsAJoinWhenOnlyOneOfItsBranchesWasTaken() {
        WorkflowGraph graph = graph(List.of("check", "yes", "no", "join"),
                "check>yes", "check>no", "yes>join", "no>join");
        DagScheduler scheduler = new DagScheduler(graph);

        scheduler.takeReady();
        assertEquals(List.of("no"), scheduler.complete("check", Set.of(0), false));
        assertEquals(List.of("yes"), scheduler.takeReady());
        assertEquals(NodeState.PENDING, scheduler.state("join"), "yes has not decided its edge yet");
        completeAll(scheduler, graph, "yes");
        assertEquals(List.of("join"), scheduler.takeReady());
    }

    @Test
    void skipsAJoinWhoseBranchesWereBothSkipped() {
        WorkflowGraph graph = graph(List.of("a", "b", "c", "join", "other"),
                "a>b", "a>c", "b>join", "c>join", "a>other");
        DagScheduler scheduler = new DagScheduler(graph);

        scheduler.takeReady();
        List<String> skipped = scheduler.complete("a", Set.of(4), false);

        assertEquals(Set.of("b", "c", "join"), Set.copyOf(skipped));
        assertEquals(NodeState.SKIPPED, scheduler.state("join"));
    }

    @Test
    void skipsAJoinWhenItsBranchesRanButNoEdgeIntoItWasTaken() {
        WorkflowGraph graph = graph(List.of("a", "b", "c", "join"), "a>b", "a>c", "b>join", "c>join");
        DagScheduler scheduler = new DagScheduler(graph);

        scheduler.takeReady();
        completeAll(scheduler, graph, "a");
        scheduler.takeReady();
        assertEquals(List.of(), scheduler.complete("b", NONE, false));
        assertEquals(List.of("join"), scheduler.complete("c", NONE, false));
        assertTrue(scheduler.finished());
        assertEquals(List.of(), scheduler.completedLeaves());
    }

    @Test
    void handsOutParallelRootsTogetherAndEachNodeOnce() {
        WorkflowGraph graph = graph(List.of("r1", "r2", "r3", "join"), "r1>join", "r2>join");
        DagScheduler scheduler = new DagScheduler(graph);

        assertEquals(List.of("r1", "r2", "r3"), scheduler.takeReady());
        assertEquals(List.of(), scheduler.takeReady());
        completeAll(scheduler, graph, "r1");
        completeAll(scheduler, graph, "r2");
        assertEquals(List.of("join"), scheduler.takeReady());
        assertEquals(List.of(), scheduler.takeReady());
    }

    @Test
    void continuedFailureDecidesEdgesLikeACompletion() {
        WorkflowGraph graph = graph(List.of("a", "b", "c"), "a>b", "a>c");
        DagScheduler scheduler = new DagScheduler(graph);

        scheduler.takeReady();
        assertEquals(List.of("c"), scheduler.complete("a", Set.of(0), true));
        assertEquals(NodeState.FAILED, scheduler.state("a"));
        assertFalse(scheduler.failed(), "onError=continue does not fail the execution");
        assertEquals(List.of("b"), scheduler.takeReady());
        scheduler.complete("b", NONE, true);

        assertTrue(scheduler.finished());
        assertEquals(Set.of("a", "b"), scheduler.completed());
        assertEquals(List.of(), scheduler.completedLeaves(), "a failed leaf has no output to default to");
    }

    @Test
    void failCancelsPendingNodesAndLetsRunningOnesFinish() {
        WorkflowGraph graph = graph(List.of("a", "b", "c", "d", "e"), "a>b", "a>c", "b>d", "c>d", "d>e");
        DagScheduler scheduler = new DagScheduler(graph);
        scheduler.takeReady();
        completeAll(scheduler, graph, "a");
        scheduler.takeReady();

        assertEquals(List.of("d", "e"), scheduler.fail("b"));

        assertTrue(scheduler.failed());
        assertEquals(NodeState.FAILED, scheduler.state("b"));
        assertEquals(NodeState.RUNNING, scheduler.state("c"));
        assertFalse(scheduler.finished(), "c is still running");
        assertEquals(List.of(), completeAll(scheduler, graph, "c"));
        assertEquals(List.of(), scheduler.takeReady(), "nothing is handed out after a failure");
        assertEquals(NodeState.CANCELLED, scheduler.state("d"));
        assertTrue(scheduler.finished());
        assertEquals(Set.of("a", "c"), scheduler.completed());
    }

    @Test
    void cancelsRunningNodesOnlyAfterAFailure() {
        WorkflowGraph graph = graph(List.of("a", "b"));
        DagScheduler scheduler = new DagScheduler(graph);
        scheduler.takeReady();

        assertThrows(IllegalStateException.class, () -> scheduler.cancelRunning("b"));
        scheduler.fail("a");
        scheduler.cancelRunning("b");
        scheduler.cancelRunning("b");

        assertEquals(NodeState.CANCELLED, scheduler.state("b"));
        assertTrue(scheduler.finished());
        assertEquals(List.of(), scheduler.complete("b", NONE, false), "a late result is ignored");
    }

    @Test
    void cancelAllCancelsPendingAndRunningNodes() {
        WorkflowGraph graph = graph(List.of("a", "b", "c", "d"), "a>c", "b>d");
        DagScheduler scheduler = new DagScheduler(graph);
        scheduler.takeReady();
        completeAll(scheduler, graph, "a");

        assertEquals(List.of("b", "c", "d"), scheduler.cancelAll());

        assertTrue(scheduler.finished());
        assertFalse(scheduler.failed());
        assertEquals(List.of(), scheduler.takeReady());
        assertEquals(NodeState.COMPLETED, scheduler.state("a"));
        assertEquals(NodeState.CANCELLED, scheduler.state("b"));
        assertEquals(List.of(), scheduler.complete("b", NONE, false), "a late result is ignored");
        assertEquals(List.of(), scheduler.fail("b"), "a late failure is ignored");
        assertEquals(List.of(), scheduler.cancelAll());
    }

    @Test
    void finishesAnEmptyGraphAtOnce() {
        DagScheduler scheduler = new DagScheduler(WorkflowGraph.of(List.of(), List.of()));

        assertTrue(scheduler.finished());
        assertEquals(List.of(), scheduler.takeReady());
    }

    @Test
    void rejectsCompletingANodeThatIsNotRunning() {
        WorkflowGraph graph = graph(List.of("a", "b"), "a>b");
        DagScheduler scheduler = new DagScheduler(graph);

        assertThrows(IllegalStateException.class, () -> scheduler.complete("a", NONE, false), "not handed out");
        scheduler.takeReady();
        completeAll(scheduler, graph, "a");
        assertThrows(IllegalStateException.class, () -> scheduler.complete("a", NONE, false), "twice");
        assertThrows(IllegalStateException.class, () -> scheduler.fail("a"));
        assertThrows(IllegalArgumentException.class, () -> scheduler.state("ghost"));
    }

    @Test
    void rejectsTakenEdgesThatDoNotLeaveTheNode() {
        WorkflowGraph graph = graph(List.of("a", "b", "c"), "a>b", "b>c");
        DagScheduler scheduler = new DagScheduler(graph);
        scheduler.takeReady();

        assertThrows(IllegalArgumentException.class, () -> scheduler.complete("a", Set.of(1), false));
        assertThrows(IllegalArgumentException.class, () -> scheduler.complete("a", Set.of(7), false));
        assertEquals(NodeState.RUNNING, scheduler.state("a"), "a rejected call changes nothing");
        assertEquals(NodeState.PENDING, scheduler.state("b"));
    }

    @Test
    void restoreThenContinueEndsLikeAnUninterruptedRun() {
        WorkflowGraph graph = graph(List.of("check", "yes", "no", "after_no", "join", "side", "tail"),
                "check>yes", "check>no", "no>after_no", "yes>join", "after_no>join", "check>side", "side>tail");
        Map<String, Set<Integer>> decisions = new HashMap<>(Map.of("check", Set.of(0, 5)));
        Set<String> continued = Set.of("side");

        DagScheduler uninterrupted = new DagScheduler(graph);
        List<String> finishingOrder = runToEnd(uninterrupted, graph, decisions, continued);

        for (int prefix = 0; prefix <= finishingOrder.size(); prefix++) {
            DagScheduler restarted = new DagScheduler(graph);
            Set<String> done = new LinkedHashSet<>(finishingOrder.subList(0, prefix));
            for (String node : graph.topologicalOrder()) {
                if (done.contains(node)) {
                    restarted.restoreCompleted(node, decisions.getOrDefault(node, NONE), continued.contains(node));
                }
            }
            for (String node : graph.nodeIds()) {
                if (restarted.state(node) == NodeState.SKIPPED) {
                    restarted.restoreSkipped(node);
                }
            }
            runToEnd(restarted, graph, decisions, continued);

            for (String node : graph.nodeIds()) {
                assertEquals(uninterrupted.state(node), restarted.state(node), node + " after restoring " + done);
            }
            assertEquals(uninterrupted.completed(), restarted.completed());
            assertEquals(uninterrupted.completedLeaves(), restarted.completedLeaves());
        }
        assertEquals(NodeState.SKIPPED, uninterrupted.state("no"));
        assertEquals(NodeState.SKIPPED, uninterrupted.state("after_no"));
        assertEquals(NodeState.COMPLETED, uninterrupted.state("join"));
        assertEquals(NodeState.FAILED, uninterrupted.state("side"));
    }

    /** Drives the scheduler to the end, taking every node's edges per {@code decisions} (default: all). */
    private static List<String> runToEnd(DagScheduler scheduler, WorkflowGraph graph,
            Map<String, Set<Integer>> decisions, Set<String> continued) {
        List<String> finishingOrder = new ArrayList<>();
        List<String> ready;
        while (!(ready = scheduler.takeReady()).isEmpty()) {
            for (String node : ready) {
                Set<Integer> taken = decisions.computeIfAbsent(node, n -> Set.copyOf(graph.outgoing(n)));
                scheduler.complete(node, taken, continued.contains(node));
                finishingOrder.add(node);
            }
        }
        assertTrue(scheduler.finished());
        return finishingOrder;
    }

    @Test
    void rejectsARestoreThatDisagreesWithTheGraph() {
        WorkflowGraph graph = graph(List.of("a", "b", "c"), "a>b", "b>c");
        DagScheduler scheduler = new DagScheduler(graph);

        assertThrows(IllegalStateException.class, () -> scheduler.restoreCompleted("b", NONE, false),
                "a was not replayed yet");
        assertThrows(IllegalStateException.class, () -> scheduler.restoreSkipped("b"), "b cannot be skipped yet");
        scheduler.restoreCompleted("a", NONE, false);
        assertThrows(IllegalStateException.class, () -> scheduler.restoreCompleted("b", NONE, false),
                "b was skipped: a did not take its edge");
        assertThrows(IllegalStateException.class, () -> scheduler.restoreCompleted("a", NONE, false), "twice");
        scheduler.restoreSkipped("b");
        scheduler.restoreSkipped("c");
        assertTrue(scheduler.finished());
        assertEquals(List.of(), scheduler.takeReady(), "a restored node is not handed out again");
    }

    @Test
    void rejectsRestoringAJoinBeforeAllItsBranches() {
        WorkflowGraph graph = graph(List.of("a", "b", "c", "d"), "a>b", "a>c", "b>d", "c>d");
        DagScheduler scheduler = new DagScheduler(graph);
        scheduler.restoreCompleted("a", Set.of(0, 1), false);
        scheduler.restoreCompleted("b", Set.of(2), false);

        assertThrows(IllegalStateException.class, () -> scheduler.restoreCompleted("d", NONE, false),
                "c has not decided its edge into d");
        scheduler.restoreCompleted("c", Set.of(3), false);
        scheduler.restoreCompleted("d", NONE, false);
        assertTrue(scheduler.finished());
    }

    @Test
    void handsOutAgainNodesThatWereRunningBeforeTheRestart() {
        WorkflowGraph graph = graph(List.of("a", "b", "c"), "a>b", "a>c");
        DagScheduler scheduler = new DagScheduler(graph);

        scheduler.restoreCompleted("a", Set.of(0, 1), false);

        assertEquals(List.of("b", "c"), scheduler.takeReady());
    }
}
