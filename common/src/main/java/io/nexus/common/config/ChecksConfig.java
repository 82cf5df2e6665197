package io.nexus.common.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How often and how patiently a service probes its dependencies for metrics and readiness data. */
@ConfigMapping(prefix = "nexus.checks")
public interface ChecksConfig {

    /** Interval between dependency probes (database ping, Kafka cluster description). */
    @WithDefault("10s")
    Duration interval();

    /** A probe that takes longer than this counts as a failure. */
    @WithDefault("3s")
    Duration timeout();
}
