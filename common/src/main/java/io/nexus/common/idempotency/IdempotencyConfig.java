package io.nexus.common.idempotency;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code Idempotency-Key} on creating POSTs (docs/api.md §2.7). */
@ConfigMapping(prefix = "nexus.idempotency")
public interface IdempotencyConfig {

    /** How long a key and the first answer under it are kept; the contract promises 24 h. */
    @WithDefault("24h")
    Duration retention();

    /**
     * How long a key whose first request has not answered counts as in flight (409 to a retry). A claim older than
     * this was left by a replica that stopped between creating and remembering: a retry then runs the request again.
     */
    @WithDefault("60s")
    Duration inFlightWindow();

    /** How often keys older than the retention are deleted. */
    @WithDefault("10m")
    Duration cleanupInterval();
}
