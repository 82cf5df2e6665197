/**
 * The service's Prometheus metrics of docs/api.md §7 ({@code nexus_workflow_executions_total},
 * {@code nexus_workflow_execution_duration_seconds}, {@code nexus_tenant_operations_total},
 * {@code nexus_workflow_executions_backlog}), registered at start-up with every known label value. The metrics every
 * service shares come from the common module. The backlog gauge reads its count through the persistence package
 * ({@code repository}); nothing else of the service is used here.
 */
package io.nexus.workflow.metrics;
