package io.nexus.workflow.rest.dto;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code POST /api/v1/executions/{id}/signals/{name}}: any JSON as {@code payload}, handed to the wait node the signal
 * resumes. The body is optional: no body, {@code {}} and an absent payload all send a signal without payload.
 */
public record SendSignalRequest(JsonNode payload) {
}
