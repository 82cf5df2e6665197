package io.nexus.workflow.domain;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a start waits: sync answers with the result (or 202 after waitMs), async answers 202 at once. */
public enum ExecutionMode {
    @JsonProperty("sync")
    SYNC,
    @JsonProperty("async")
    ASYNC;

    public String wire() {
        return this == SYNC ? "sync" : "async";
    }
}
