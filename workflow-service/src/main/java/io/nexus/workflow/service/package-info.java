/**
 * What the API does: registering and reading workflows, starting executions (with admission, idempotency keys and
 * the sync wait), reading, listing, cancelling and signalling them, following their progress as events, and the
 * projection of tenant quotas from {@code nexus.tenants}. Services validate, call the persistence package for data and
 * transactions, hand executions to the {@code engine}, and map results to {@code rest.dto} views.
 *
 * <p>May use every package but {@code rest} (except its {@code dto} records).
 */
package io.nexus.workflow.service;
