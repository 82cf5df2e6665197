/**
 * The engine: runs executions on this replica (docs/api.md §4, §5).
 *
 * <p>{@link io.nexus.workflow.engine.ExecutionEngine} is the replica's side: its workers, the claims of executions
 * that need a replica (pending, orphaned by a dead replica, parked and due), lease renewal and the drain at shutdown.
 * Each execution it runs is an {@link io.nexus.workflow.engine.ExecutionRun}: the scheduler's loop over the
 * workflow's graph ({@code scheduling}), with its parts — waits and signals, child workflows, side-effecting nodes,
 * the session, the end and the park — behind {@link io.nexus.workflow.engine.RunCallbacks}. A run reaches the
 * database, timers, the evaluation pool, the http client and session-service only through
 * {@link io.nexus.workflow.engine.RunServices} ({@link io.nexus.workflow.engine.ReplicaRunServices} here, a fake in
 * unit tests), and reports back to the engine by execution id ({@link io.nexus.workflow.engine.RunListener}).
 *
 * <p>May use: {@code definition}, {@code expression}, {@code domain}, {@code config}, {@code metrics}, the
 * persistence package {@code repository}, the {@code client} of session-service, and its own {@code scheduling} and
 * {@code http}. Never {@code service} or {@code rest}: the services call the engine, not the other way round.
 */
package io.nexus.workflow.engine;
