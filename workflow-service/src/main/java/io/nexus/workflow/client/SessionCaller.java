package io.nexus.workflow.client;

/**
 * Whom a call to session-service acts for: the identity it signs is role {@code service} with this tenant (the
 * session-service only answers for sessions of that tenant), channel, session and request id.
 */
public record SessionCaller(String tenantId, String channel, String sessionId, String requestId) {
}
