package io.nexus.workflow.engine.scheduling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * Drives the scheduler over thousands of seeded random DAGs with random edge decisions and a random completion
 * order, and checks it against an independent model: which edges were decided and taken, tracked here from what
 * the test itself reported, and a plain reachability search for what should have run. A failure names its seed;
 * rerun just that seed by narrowing {@link #GRAPHS} and {@link #FIRST_SEED}.
 */
class DagSchedulerPropertyTest {

    private static final long FIRST_SEED = 1L;
    private static final int GRAPHS = 2_000;
    private static final int MAX_NODES = 40;

    @Test
    void handsOutEachNodeOnceAfterItsPredecessorsAndSkipsExactlyTheUnreachableNodes() {
        forEachSeed(seed -> {
            Random random = new Random(seed);
            RandomDag dag = RandomDag.generate(random);
            new Run(dag, random).toEnd(random.nextInt(4) == 0);
        });
    }

    @Test
    void aFailureCancelsEveryPendingNodeAndHandsOutNothingMore() {
        forEachSeed(seed -> {
            Random random = new Random(seed);
            RandomDag dag = RandomDag.generate(random);
            new Run(dag, random).untilFailure(random.nextBoolean());
        });
    }

    private interface SeededCheck {
        void run(long seed);
    }

    private static void forEachSeed(SeededCheck check) {
        for (long seed = FIRST_SEED; seed < FIRST_SEED + GRAPHS; seed++) {
            try {
                check.run(seed);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * A random DAG: ids are numbered in a random topological order, declared in a shuffled order, and every
     * forward pair gets an edge with a per-graph density (occasionally twice, as two {@code when}s may target the
     * same node). Each edge's decision and each node's onError=continue are fixed up front, so the reference answer
     * does not depend on the completion order.
     */
    record RandomDag(WorkflowGraph graph, Map<String, Set<Integer>> takenEdges, Set<String> continued) {

        static RandomDag generate(Random random) {
            int nodeCount = 1 + random.nextInt(MAX_NODES);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < nodeCount; i++) {
                ids.add("n" + i);
            }
            double density = random.nextDouble() * 0.35;
            List<GraphEdge> edges = new ArrayList<>();
            for (int from = 0; from < nodeCount; from++) {
                for (int to = from + 1; to < nodeCount; to++) {
                    if (random.nextDouble() < density) {
                        edges.add(new GraphEdge(ids.get(from), ids.get(to)));
                        if (random.nextInt(20) == 0) {
                            edges.add(new GraphEdge(ids.get(from), ids.get(to)));
                        }
                    }
                }
            }
            Collections.shuffle(edges, random);
            List<String> declared = new ArrayList<>(ids);
            Collections.shuffle(declared, random);
            WorkflowGraph graph = WorkflowGraph.of(declared, edges);

            // A quarter of the graphs take every edge, so long runs without skips are covered too.
            double takeProbability = random.nextInt(4) == 0 ? 1.0 : random.nextDouble();
            Map<String, Set<Integer>> takenEdges = new HashMap<>();
            Set<String> continued = new HashSet<>();
            for (String id : ids) {
                Set<Integer> taken = new HashSet<>();
                for (int e : graph.outgoing(id)) {
                    if (random.nextDouble() < takeProbability) {
                        taken.add(e);
                    }
                }
                takenEdges.put(id, Set.copyOf(taken));
                if (random.nextInt(10) == 0) {
                    continued.add(id);
                }
            }
            return new RandomDag(graph, takenEdges, continued);
        }

        /** Reference: a node runs iff it is a root or a taken edge leads to it from a node that runs. */
        Set<String> reachableThroughTakenEdges() {
            Set<String> reachable = new HashSet<>();
            ArrayDeque<String> queue = new ArrayDeque<>();
            for (String id : graph.nodeIds()) {
                if (graph.incoming(id).isEmpty()) {
                    reachable.add(id);
                    queue.add(id);
                }
            }
            while (!queue.isEmpty()) {
                String id = queue.poll();
                for (int e : takenEdges.get(id)) {
                    String to = graph.edge(e).to();
                    if (reachable.add(to)) {
                        queue.add(to);
                    }
                }
            }
            return reachable;
        }
    }

    /** One execution driven in a random order, with the test's own record of every decided edge. */
    private static final class Run {
        private final RandomDag dag;
        private final WorkflowGraph graph;
        private final Random random;
        private DagScheduler scheduler;
        private final Set<String> handedOut = new HashSet<>();
        private final List<String> inFlight = new ArrayList<>();
        private final Set<String> finishedWithResult = new LinkedHashSet<>();
        private final Set<String> reportedSkipped = new LinkedHashSet<>();

        Run(RandomDag dag, Random random) {
            this.dag = dag;
            this.graph = dag.graph();
            this.random = random;
            this.scheduler = new DagScheduler(graph);
        }

        void toEnd(boolean restartMidway) {
            int restartAfter = restartMidway ? random.nextInt(graph.nodeIds().size()) : -1;
            takeReady();
            while (!inFlight.isEmpty()) {
                if (finishedWithResult.size() == restartAfter) {
                    restart();
                    restartAfter = -1;
                }
                // Taking ready nodes only sometimes lets completions pile up between hand-outs.
                if (random.nextBoolean()) {
                    takeReady();
                }
                completeOne(inFlight.remove(random.nextInt(inFlight.size())));
                if (inFlight.isEmpty()) {
                    takeReady();
                }
            }
            assertEndState();
        }

        void untilFailure(boolean cancelInsteadOfFail) {
            int stopAfter = random.nextInt(graph.nodeIds().size());
            takeReady();
            while (!inFlight.isEmpty() && finishedWithResult.size() < stopAfter) {
                completeOne(inFlight.remove(random.nextInt(inFlight.size())));
                takeReady();
            }
            Set<String> pending = nodesIn(NodeState.PENDING);
            Set<String> running = nodesIn(NodeState.RUNNING);
            if (cancelInsteadOfFail) {
                assertEquals(union(pending, running), Set.copyOf(scheduler.cancelAll()), "cancelAll cancels these");
                inFlight.clear();
            } else if (!inFlight.isEmpty()) {
                String failing = inFlight.remove(random.nextInt(inFlight.size()));
                assertEquals(pending, Set.copyOf(scheduler.fail(failing)), "fail cancels exactly the pending");
                assertTrue(scheduler.failed());
                assertEquals(NodeState.FAILED, scheduler.state(failing));
            }
            while (!inFlight.isEmpty()) {
                assertEquals(List.of(), scheduler.takeReady(), "nothing is handed out after a failure");
                String node = inFlight.remove(random.nextInt(inFlight.size()));
                if (random.nextBoolean()) {
                    scheduler.cancelRunning(node);
                    assertEquals(NodeState.CANCELLED, scheduler.state(node));
                } else {
                    assertEquals(List.of(), complete(node), "nothing is skipped after a failure");
                }
            }
            assertTrue(scheduler.finished(), "finished once the in-flight nodes are reported");
            assertEquals(List.of(), scheduler.takeReady());
            for (String id : graph.nodeIds()) {
                NodeState state = scheduler.state(id);
                assertTrue(handedOut.contains(id) || state == NodeState.SKIPPED || state == NodeState.CANCELLED,
                        id + " was never handed out but is " + state);
            }
        }

        private void takeReady() {
            for (String node : scheduler.takeReady()) {
                assertTrue(handedOut.add(node), node + " handed out twice");
                assertEquals(NodeState.RUNNING, scheduler.state(node));
                assertTrue(runnable(node), node + " handed out before its incoming edges allowed it");
                inFlight.add(node);
            }
            // takeReady must return every runnable node, not just some.
            for (String id : graph.nodeIds()) {
                if (!handedOut.contains(id) && !reportedSkipped.contains(id)) {
                    assertFalse(runnable(id), id + " is runnable but was not handed out");
                }
            }
        }

        private void completeOne(String node) {
            for (String skipped : complete(node)) {
                assertFalse(handedOut.contains(skipped), skipped + " skipped after being handed out");
                assertTrue(reportedSkipped.add(skipped), skipped + " reported skipped twice");
                assertEquals(NodeState.SKIPPED, scheduler.state(skipped));
                assertTrue(allIncomingDecided(skipped) && noIncomingTaken(skipped),
                        skipped + " skipped while an incoming edge was undecided or taken");
            }
        }

        private List<String> complete(String node) {
            boolean continued = dag.continued().contains(node);
            List<String> skipped = scheduler.complete(node, dag.takenEdges().get(node), continued);
            finishedWithResult.add(node);
            assertEquals(continued ? NodeState.FAILED : NodeState.COMPLETED, scheduler.state(node));
            return skipped;
        }

        /** Replays the finished nodes into a fresh scheduler, as the engine does after a crash. */
        private void restart() {
            takeReady();
            DagScheduler restored = new DagScheduler(graph);
            for (String id : graph.topologicalOrder()) {
                if (finishedWithResult.contains(id)) {
                    restored.restoreCompleted(id, dag.takenEdges().get(id), dag.continued().contains(id));
                }
            }
            for (String id : reportedSkipped) {
                restored.restoreSkipped(id);
            }
            for (String id : graph.nodeIds()) {
                NodeState before = scheduler.state(id);
                NodeState expected = before == NodeState.RUNNING ? NodeState.PENDING : before;
                assertEquals(expected, restored.state(id), id + " after restore");
            }
            assertEquals(Set.copyOf(inFlight), Set.copyOf(restored.takeReady()),
                    "the restored scheduler hands out again exactly the nodes that were in flight");
            scheduler = restored;
        }

        private void assertEndState() {
            assertTrue(scheduler.finished(), "finished");
            assertFalse(scheduler.failed());
            assertEquals(List.of(), scheduler.takeReady());
            Set<String> reachable = dag.reachableThroughTakenEdges();
            Set<String> unreachable = new HashSet<>(graph.nodeIds());
            unreachable.removeAll(reachable);

            assertEquals(unreachable, nodesIn(NodeState.SKIPPED), "skipped = unreachable through taken edges");
            assertEquals(unreachable, reportedSkipped, "complete() reported every skip");
            assertEquals(reachable, handedOut, "every reachable node ran");
            assertEquals(reachable, scheduler.completed());
            for (String id : reachable) {
                NodeState expected = dag.continued().contains(id) ? NodeState.FAILED : NodeState.COMPLETED;
                assertEquals(expected, scheduler.state(id), id);
            }
            List<String> expectedLeaves = graph.leaves().stream()
                    .filter(id -> reachable.contains(id) && !dag.continued().contains(id)).toList();
            assertEquals(expectedLeaves, scheduler.completedLeaves());
        }

        private boolean runnable(String node) {
            return allIncomingDecided(node) && (graph.incoming(node).isEmpty() || !noIncomingTaken(node));
        }

        private boolean allIncomingDecided(String node) {
            for (int e : graph.incoming(node)) {
                String from = graph.edge(e).from();
                if (!finishedWithResult.contains(from) && !reportedSkipped.contains(from)) {
                    return false;
                }
            }
            return true;
        }

        private boolean noIncomingTaken(String node) {
            for (int e : graph.incoming(node)) {
                String from = graph.edge(e).from();
                if (finishedWithResult.contains(from) && dag.takenEdges().get(from).contains(e)) {
                    return false;
                }
            }
            return true;
        }

        private Set<String> nodesIn(NodeState state) {
            Set<String> nodes = new HashSet<>();
            for (String id : graph.nodeIds()) {
                if (scheduler.state(id) == state) {
                    nodes.add(id);
                }
            }
            return nodes;
        }

        private static Set<String> union(Set<String> a, Set<String> b) {
            Set<String> all = new HashSet<>(a);
            all.addAll(b);
            return all;
        }
    }
}
