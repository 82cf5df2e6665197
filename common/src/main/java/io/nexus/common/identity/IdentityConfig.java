package io.nexus.common.identity;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The internal identity the gateway forwards and every service verifies (docs/api.md §2). */
@ConfigMapping(prefix = "nexus.identity")
public interface IdentityConfig {

    /**
     * The HS256 key that signs {@code X-Nexus-Identity} (Secret {@code nexus-internal}); at least 32 bytes. The local
     * default only serves development and tests: production sets NEXUS_INTERNAL_KEY.
     */
    String key();

    /** Lifetime of a signed identity; at most 60 s (every service refuses a token whose {@code exp - iat} is longer). */
    @WithDefault("60s")
    Duration lifetime();

    /** Tolerated clock difference between the gateway and a service when checking the lifetime. */
    @WithDefault("5s")
    Duration clockSkew();

    /**
     * This service's name as the {@code aud} of the identities it accepts: a token the gateway (or another service)
     * addressed to one service is refused by every other, so a token seen in one service's traffic opens no other.
     */
    @WithDefault("${quarkus.application.name}")
    String audience();

    /** Whether this service demands a valid identity on every request outside /q (the gateway, which signs, does not). */
    @WithDefault("true")
    boolean required();
}
