package io.nexus.common.testing;

import com.fasterxml.jackson.annotation.JsonValue;

public enum ProbeMode {
    SYNC, ASYNC;

    @JsonValue
    public String wire() {
        return name().toLowerCase();
    }
}
