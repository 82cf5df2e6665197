package io.nexus.marketplace.domain;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A version of a publisher's workflow as workflow-service answers it: the definition whole, secrets included. */
public record WorkflowSnapshot(String name, int version, ObjectNode definition) {
}
