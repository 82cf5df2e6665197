package io.nexus.workflow.engine.scheduling;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The mutable progress of one execution over a {@link WorkflowGraph} (docs/api.md §5). Not thread-safe: one execution
 * is driven from one thread/context.
 *
 * <p>A node runs once every incoming edge is decided and at least one was taken; once every incoming edge is decided
 * and none was taken it is skipped, which decides its own outgoing edges as not taken. Instead of rescanning the
 * graph, each node keeps two counters (undecided and taken incoming edges), so a step costs only the edges it
 * decides. Every edge is decided exactly once, because its source leaves PENDING/RUNNING exactly once.
 *
 * <p>Misuse that would corrupt the progress (completing a node twice, a taken edge that does not leave the node,
 * a replay that disagrees with the graph) throws {@link IllegalStateException} or {@link IllegalArgumentException}
 * before anything changes.
 */
public final class DagScheduler {

    private final WorkflowGraph graph;
    private final NodeState[] states;
    private final int[] undecidedIncoming;
    private final int[] takenIncoming;
    /** Runnable nodes not yet handed out. May hold nodes a restore has since finished: takeReady skips them. */
    private final ArrayDeque<Integer> ready = new ArrayDeque<>();
    private final Set<String> completed = new LinkedHashSet<>();
    private int unfinished;
    private boolean executionFailed;
    private boolean halted;

    public DagScheduler(WorkflowGraph graph) {
        this.graph = Objects.requireNonNull(graph, "graph");
        int nodeCount = graph.nodeCount();
        this.states = new NodeState[nodeCount];
        this.undecidedIncoming = new int[nodeCount];
        this.takenIncoming = new int[nodeCount];
        this.unfinished = nodeCount;
        for (int n = 0; n < nodeCount; n++) {
            states[n] = NodeState.PENDING;
            undecidedIncoming[n] = graph.incomingCount(n);
            if (undecidedIncoming[n] == 0) {
                ready.add(n);
            }
        }
    }

    /**
     * Nodes that became runnable and were not handed out before, in the order they became runnable; marks them
     * RUNNING. Roots are runnable at start. Empty once the execution failed or was cancelled.
     */
    public List<String> takeReady() {
        List<String> taken = new ArrayList<>(ready.size());
        while (!ready.isEmpty()) {
            int n = ready.poll();
            if (states[n] == NodeState.PENDING) {
                states[n] = NodeState.RUNNING;
                taken.add(graph.idAt(n));
            }
        }
        return taken;
    }

    /**
     * A RUNNING node completed, or failed with {@code onError: continue} ({@code failedButContinued}; its state
     * becomes FAILED but its edges are decided as if it had completed).
     *
     * <p>A late result for a node that was CANCELLED meanwhile is ignored (returns an empty list): the execution
     * has moved on and its outcome no longer matters.
     *
     * @param takenEdges the indexes of the node's outgoing edges whose {@code when} held; the others are not taken
     * @return the nodes newly SKIPPED as a consequence, transitively
     * @throws IllegalStateException    if the node is neither RUNNING nor CANCELLED
     * @throws IllegalArgumentException if a taken edge does not leave this node
     */
    public List<String> complete(String nodeId, Set<Integer> takenEdges, boolean failedButContinued) {
        int n = graph.indexOf(nodeId);
        if (states[n] == NodeState.CANCELLED) {
            return List.of();
        }
        requireState(n, NodeState.RUNNING, "complete");
        requireOutgoing(n, takenEdges);
        return finish(n, takenEdges, failedButContinued);
    }

    /**
     * A RUNNING node failed the execution ({@code onError: fail}): no new nodes are handed out and every PENDING node
     * becomes CANCELLED. Still-RUNNING nodes stay RUNNING until the caller reports them via {@link #cancelRunning}
     * or {@link #complete}. A failure reported for a node already CANCELLED is ignored.
     *
     * @return the nodes cancelled, in declaration order
     */
    public List<String> fail(String nodeId) {
        int n = graph.indexOf(nodeId);
        if (states[n] == NodeState.CANCELLED) {
            return List.of();
        }
        requireState(n, NodeState.RUNNING, "fail");
        states[n] = NodeState.FAILED;
        unfinished--;
        executionFailed = true;
        return halt(false);
    }

    /**
     * After {@link #fail}, a node that was still RUNNING has been stopped without a result; it becomes CANCELLED.
     * Only allowed once the execution failed: cancelling one node of a live execution would leave its successors
     * undecided forever. Repeating it for a node already CANCELLED is harmless.
     */
    public void cancelRunning(String nodeId) {
        int n = graph.indexOf(nodeId);
        if (!executionFailed) {
            throw new IllegalStateException("cancelRunning(" + nodeId + ") before the execution failed; use cancelAll");
        }
        if (states[n] == NodeState.CANCELLED) {
            return;
        }
        requireState(n, NodeState.RUNNING, "cancelRunning");
        states[n] = NodeState.CANCELLED;
        unfinished--;
    }

    /**
     * Cancels the whole execution: PENDING and RUNNING nodes become CANCELLED.
     *
     * @return the nodes cancelled, in declaration order
     */
    public List<String> cancelAll() {
        return halt(true);
    }

    public NodeState state(String nodeId) {
        return states[graph.indexOf(nodeId)];
    }

    /** No node is PENDING or RUNNING. */
    public boolean finished() {
        return unfinished == 0;
    }

    /** A node failed the execution via {@link #fail}. Nodes that failed with {@code onError: continue} do not count. */
    public boolean failed() {
        return executionFailed;
    }

    /** Nodes that have a result: COMPLETED, and FAILED with {@code onError: continue}; a snapshot in finishing order. */
    public Set<String> completed() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(completed));
    }

    /** Leaves whose state is COMPLETED, in declaration order: the default output (docs/api.md §5). */
    public List<String> completedLeaves() {
        return graph.leaves().stream().filter(id -> state(id) == NodeState.COMPLETED).toList();
    }

    /**
     * Rebuilds progress after a restart: replays a node that already finished with a result. Call in topological
     * order (or finishing order), before handing out work; skips follow from the replay as they did originally.
     *
     * @throws IllegalStateException if the node could not have run yet: a predecessor is not replayed, none of its
     *                               incoming edges was taken, or it already finished
     */
    public void restoreCompleted(String nodeId, Set<Integer> takenEdges, boolean failedButContinued) {
        int n = graph.indexOf(nodeId);
        if (halted) {
            throw new IllegalStateException("restoreCompleted(" + nodeId + ") after the execution stopped");
        }
        if (states[n] == NodeState.PENDING) {
            if (undecidedIncoming[n] > 0) {
                throw new IllegalStateException("restoreCompleted(" + nodeId + ") before all its predecessors");
            }
            if (takenIncoming[n] == 0 && graph.incomingCount(n) > 0) {
                throw new IllegalStateException("restoreCompleted(" + nodeId + ") but none of its incoming edges "
                        + "was taken");
            }
        } else {
            // RUNNING is accepted too: the node may have been handed out again before its old result was found.
            requireState(n, NodeState.RUNNING, "restoreCompleted");
        }
        requireOutgoing(n, takenEdges);
        finish(n, takenEdges, failedButContinued);
    }

    /**
     * Checks a recorded skip against the replay. Skips are derived from the restored completions, so a node
     * recorded as skipped must already be SKIPPED here; anything else means the history and the graph disagree.
     */
    public void restoreSkipped(String nodeId) {
        int n = graph.indexOf(nodeId);
        if (states[n] != NodeState.SKIPPED) {
            throw new IllegalStateException("restoreSkipped(" + nodeId + ") but the replay has it " + states[n]
                    + "; restore its predecessors first, in topological order");
        }
    }

    private List<String> finish(int n, Set<Integer> takenEdges, boolean failedButContinued) {
        states[n] = failedButContinued ? NodeState.FAILED : NodeState.COMPLETED;
        unfinished--;
        completed.add(graph.idAt(n));
        List<String> skipped = new ArrayList<>();
        ArrayDeque<Integer> skippedToPropagate = new ArrayDeque<>();
        for (int e : graph.outgoingEdges(n)) {
            decide(e, takenEdges.contains(e), skipped, skippedToPropagate);
        }
        // Iterative rather than recursive: a long chain of skips must not overflow the stack.
        while (!skippedToPropagate.isEmpty()) {
            for (int e : graph.outgoingEdges(skippedToPropagate.poll())) {
                decide(e, false, skipped, skippedToPropagate);
            }
        }
        return skipped;
    }

    private void decide(int edge, boolean taken, List<String> skipped, ArrayDeque<Integer> skippedToPropagate) {
        int target = graph.edgeTarget(edge);
        undecidedIncoming[target]--;
        if (taken) {
            takenIncoming[target]++;
        }
        // After a failure or cancel every PENDING node is CANCELLED, so late decisions change no state.
        if (undecidedIncoming[target] > 0 || states[target] != NodeState.PENDING) {
            return;
        }
        if (takenIncoming[target] > 0) {
            ready.add(target);
        } else {
            states[target] = NodeState.SKIPPED;
            unfinished--;
            skipped.add(graph.idAt(target));
            skippedToPropagate.add(target);
        }
    }

    private List<String> halt(boolean includeRunning) {
        halted = true;
        ready.clear();
        List<String> cancelled = new ArrayList<>();
        for (int n = 0; n < states.length; n++) {
            if (states[n] == NodeState.PENDING || includeRunning && states[n] == NodeState.RUNNING) {
                states[n] = NodeState.CANCELLED;
                unfinished--;
                cancelled.add(graph.idAt(n));
            }
        }
        return cancelled;
    }

    private void requireState(int n, NodeState expected, String operation) {
        if (states[n] != expected) {
            throw new IllegalStateException(operation + "(" + graph.idAt(n) + ") but the node is " + states[n]
                    + ", not " + expected);
        }
    }

    private void requireOutgoing(int n, Set<Integer> takenEdges) {
        Objects.requireNonNull(takenEdges, "takenEdges");
        for (Integer e : takenEdges) {
            if (e == null || e < 0 || e >= graph.edgeCount() || graph.edgeSource(e) != n) {
                throw new IllegalArgumentException("edge " + e + " is not an outgoing edge of " + graph.idAt(n));
            }
        }
    }
}
