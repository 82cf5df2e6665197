package io.nexus.cli.http;

import com.fasterxml.jackson.databind.JsonNode;

/** A successful answer: its status and its JSON body (a missing node when the answer had none, e.g. 204). */
public record ApiResponse(int status, JsonNode body) {
}
