package io.nexus.workflow.rest.dto;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One version of a workflow as the API shows it: the stored definition's own fields (its {@code name} aside, which
 * comes first) flattened between {@code latestVersion} and {@code createdAt}, so that a client reads back the
 * definition it registered plus the version's numbers and times.
 */
public record WorkflowVersionView(String name, int version, int latestVersion,
        @JsonAnyGetter Map<String, JsonNode> definition, Instant createdAt, Instant versionCreatedAt) {
}
