package io.nexus.session.service;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** What a client asks for when it opens a session; null fields take their defaults. */
public record NewSession(String userId, Integer ttlSeconds, ObjectNode data) {
}
