package io.nexus.common.http;

import java.util.Locale;

/**
 * The channel a request arrived through (docs/api.md §2). The gateway validates what clients declare; services only
 * read it back, so an unknown value there falls back to {@link #API} instead of failing the request.
 */
public enum Channel {
    API, CLI, MCP;

    public static final String HEADER = "X-Nexus-Channel";

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The channel a client declared, or null when the value is not one of the contract's channels. */
    public static Channel parse(String declared) {
        if (declared == null || declared.isEmpty()) {
            return API;
        }
        for (Channel channel : values()) {
            if (channel.label().equals(declared)) {
                return channel;
            }
        }
        return null;
    }

    public static Channel parseOrDefault(String declared) {
        Channel channel = parse(declared);
        return channel == null ? API : channel;
    }
}
