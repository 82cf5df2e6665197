/**
 * Clients of the other Nexus services. Today one: session-service's internal API, which {@code session} nodes and
 * the {@code session} variable use ({@link io.nexus.workflow.client.SessionServiceClient}).
 *
 * <p>May use: {@code config} and the common module (identity). Knows nothing of executions: the engine calls it and
 * turns its answers into node outcomes.
 */
package io.nexus.workflow.client;
