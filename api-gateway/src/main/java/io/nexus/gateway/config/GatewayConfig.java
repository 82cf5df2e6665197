package io.nexus.gateway.config;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the gateway finds the services behind it and how long it waits for them. */
@ConfigMapping(prefix = "nexus.gateway")
public interface GatewayConfig {

    /** The services behind the gateway, by service name. */
    Map<String, Upstream> services();

    /** How long {@code GET /health} waits for each service's readiness before reporting it down. */
    @WithDefault("2s")
    Duration healthTimeout();

    interface Upstream {

        /** Base URL of the service, e.g. {@code http://tenant-service:8081}. */
        URI url();
    }
}
