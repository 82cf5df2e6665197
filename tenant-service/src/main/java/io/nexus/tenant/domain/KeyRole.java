package io.nexus.tenant.domain;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

import io.nexus.common.identity.Role;

/** The roles an API key can carry (docs/api.md §2); the platform admin is configuration, never a key. */
public enum KeyRole {
    ADMIN(Role.ADMIN), DEVELOPER(Role.DEVELOPER), VIEWER(Role.VIEWER);

    private final Role role;

    KeyRole(Role role) {
        this.role = role;
    }

    public Role role() {
        return role;
    }

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
