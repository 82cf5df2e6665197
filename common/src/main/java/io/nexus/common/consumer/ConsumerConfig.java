package io.nexus.common.consumer;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How idempotent consumers retry, give up and forget (docs/api.md §6). */
@ConfigMapping(prefix = "nexus.consumer")
public interface ConsumerConfig {

    /** Attempts per message before it is parked on the channel's dead-letter topic. */
    @WithDefault("5")
    int maxAttempts();

    /** Wait before the second attempt; doubles for each further one. */
    @WithDefault("200ms")
    Duration initialBackoff();

    /** Longest wait between two attempts. */
    @WithDefault("5s")
    Duration maxBackoff();

    /** How long processed event ids are remembered; must exceed the longest redelivery delay (topic retention). */
    @WithDefault("7d")
    Duration dedupRetention();

    /** Interval between prunes of remembered event ids. */
    @WithDefault("10m")
    Duration pruneInterval();
}
