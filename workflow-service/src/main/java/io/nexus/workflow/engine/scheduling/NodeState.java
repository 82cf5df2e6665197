package io.nexus.workflow.engine.scheduling;

/**
 * Where one node stands within one execution. {@code FAILED} covers both a node that failed the execution and one
 * that failed with {@code onError: continue}; {@link DagScheduler#completed()} tells the two apart.
 */
public enum NodeState {
    PENDING, RUNNING, COMPLETED, FAILED, SKIPPED, CANCELLED
}
