package io.nexus.common.database;

import java.util.Optional;

import io.vertx.pgclient.PgConnectOptions;

/**
 * Options for a connection of a service's own, outside the reactive pool: for work whose session state must not go
 * back to the pool with the connection (an advisory lock) or must not hold a pooled connection for long (VACUUM).
 */
public final class DedicatedConnection {

    private DedicatedConnection() {
    }

    /** The first host of the service's reactive datasource URL, with its credentials; no reconnects. */
    public static PgConnectOptions options(String reactiveUrl, String user, Optional<String> password) {
        return PgConnectOptions.fromUri(reactiveUrl.split(",")[0].trim())
                .setUser(user)
                .setPassword(password.orElse(null))
                .setReconnectAttempts(0);
    }
}
