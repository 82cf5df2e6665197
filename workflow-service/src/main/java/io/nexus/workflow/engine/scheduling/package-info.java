/**
 * The workflow graph and the scheduling rules of docs/api.md §5, as pure data structures: which nodes are ready,
 * which are skipped when no incoming edge is taken, what a failure or a cancel does to the rest.
 *
 * <p>No I/O, no clock, no threads: {@link io.nexus.workflow.engine.scheduling.DagScheduler} is driven by the
 * engine's run and tested on its own (including property tests over random graphs). Depends on nothing else of the
 * service.
 */
package io.nexus.workflow.engine.scheduling;
