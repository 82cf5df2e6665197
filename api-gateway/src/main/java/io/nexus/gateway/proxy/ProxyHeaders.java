package io.nexus.gateway.proxy;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

import io.vertx.core.MultiMap;

/** Which headers cross the gateway, in each direction. */
final class ProxyHeaders {

    /** RFC 9110 §7.6.1 connection-specific headers, plus Host (the client sets its own). */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "proxy-connection");
    /** The only X-Nexus-* headers a client may send through (docs/api.md §2). */
    private static final Set<String> CLIENT_NEXUS_HEADERS = Set.of("x-nexus-channel", "x-nexus-session");

    private ProxyHeaders() {
    }

    /**
     * Request headers for the service: hop-by-hop headers and client-supplied identity removed, and the API key
     * itself kept at the edge (services get the signed identity instead).
     */
    static void copyRequestHeaders(MultiMap from, MultiMap to) {
        from.forEach(header -> {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(name) || name.equals("authorization") || name.equals("x-api-key")
                    || name.equals("x-request-id")
                    || name.startsWith("x-nexus-") && !CLIENT_NEXUS_HEADERS.contains(name)) {
                return;
            }
            to.add(header.getKey(), header.getValue());
        });
    }

    static void copyResponseHeaders(MultiMap from, MultiMap to) {
        from.forEach(header -> {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(name) || name.equals("x-request-id")) {
                return;
            }
            to.add(header.getKey(), name.equals("location") ? relative(header.getValue()) : header.getValue());
        });
    }

    /** docs/api.md §4: Location headers are relative; a service that answered an absolute one is rewritten. */
    static String relative(String location) {
        try {
            URI uri = URI.create(location);
            if (!uri.isAbsolute()) {
                return location;
            }
            return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        } catch (IllegalArgumentException e) {
            return location;
        }
    }
}
