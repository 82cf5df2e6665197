package io.nexus.tenant.domain;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

public enum TenantStatus {
    ACTIVE, SUSPENDED;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
