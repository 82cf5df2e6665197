package io.nexus.common.identity;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Who a caller is (docs/api.md §2): the platform admin, or an API key's role within its tenant. {@link #SERVICE} is a
 * Nexus service calling another one's {@code /internal} API on its own behalf (the gateway resolving a key), and is
 * accepted nowhere else.
 */
public enum Role {
    PLATFORM_ADMIN, ADMIN, DEVELOPER, VIEWER, SERVICE;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Role fromWire(String value) {
        for (Role role : values()) {
            if (role.wire().equals(value)) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown role '" + value + "'");
    }

    /** Whether this role may do what {@code permission} covers within its own tenant (the role table of §2). */
    public boolean allows(Permission permission) {
        return switch (permission) {
            case READ -> this == ADMIN || this == DEVELOPER || this == VIEWER;
            case WRITE -> this == ADMIN || this == DEVELOPER;
            case MANAGE -> this == ADMIN;
        };
    }
}
