/**
 * Execution history retention (docs/api.md §4.4, "History retention"): every replica periodically deletes the ended
 * executions its tenants' plans no longer keep ({@code nexus.workflow.retention.*}), in small batches, so that the
 * executions tables stop growing with the work done. The SQL is the persistence package's
 * ({@link io.nexus.workflow.repository.ExecutionHistory}); this package decides what to keep, paces the batches and
 * counts them ({@code nexus_workflow_executions_deleted_total}).
 *
 * <p>May use {@code config}, the persistence package {@code repository} and the common module; nothing else of the
 * service, and nothing depends on it.
 */
package io.nexus.workflow.retention;
