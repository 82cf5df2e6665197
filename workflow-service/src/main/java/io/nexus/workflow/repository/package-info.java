/**
 * The persistence package: every SQL statement of the service and every transaction it opens (the reactive
 * PostgreSQL client; Flyway migrations under {@code db/migration}).
 *
 * <p>Repositories are thin — a statement and its row mapping per method; writes that belong in a caller's
 * transaction take its connection. {@link io.nexus.workflow.repository.ExecutionTransactions} and
 * {@link io.nexus.workflow.repository.WorkflowTransactions} are where transactions begin: each method commits one
 * unit of change together with the events that announce it (the outbox), and has committed or rolled back when its
 * Uni completes. {@link io.nexus.workflow.repository.ExecutionStatements} holds the hot path's single-statement
 * writes (start, end, park), {@link io.nexus.workflow.repository.ExecutionLeases} which replica holds which
 * execution.
 *
 * <p>May use {@code domain} and the common module; nothing else of the service. Called by {@code engine},
 * {@code catalog} and {@code service}, never by {@code rest}.
 */
package io.nexus.workflow.repository;
