package io.nexus.workflow.engine.scheduling;

/**
 * A directed edge between two node ids. The scheduler never sees {@code when}: the caller evaluates it and reports
 * the outcome per edge index, which keeps this package free of CEL.
 */
public record GraphEdge(String from, String to) {
}
