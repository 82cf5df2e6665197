/**
 * Outbound calls of {@code http} nodes (docs/api.md §5).
 *
 * <p>The engine evaluates a node's CEL config into an {@link io.nexus.workflow.engine.http.HttpCallSpec} and calls
 * {@link io.nexus.workflow.engine.http.SafeHttpClient#call}; the result becomes the node's output
 * {@code {status, headers, body}}, a {@link io.nexus.workflow.engine.http.HttpCallFailure} its error code. Request
 * headers may carry credentials: they are not part of any result, failure message or log line here, and step
 * records must not keep them either.
 */
package io.nexus.workflow.engine.http;
