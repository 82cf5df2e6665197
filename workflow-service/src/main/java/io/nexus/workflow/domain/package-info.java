/**
 * The service's records: executions, steps, their statuses and errors, workflow versions, tenant quotas, and the
 * batch of steps and events a commit writes. Plain immutable data that every other package may use; depends on no
 * other package of the service (only on the event contracts, whose {@code ExecutionAggregate} an execution is).
 */
package io.nexus.workflow.domain;
