package io.nexus.workflow.service;

import com.fasterxml.jackson.databind.JsonNode;

/** What a start answers: 200 with the result, or 202 with where to follow the execution. */
public record StartResponse(int status, JsonNode body, String location) {
}
