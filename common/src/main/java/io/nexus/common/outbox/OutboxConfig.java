package io.nexus.common.outbox;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The transactional outbox and its relay (docs/api.md §6). */
@ConfigMapping(prefix = "nexus.outbox")
public interface OutboxConfig {

    /** Whether this replica runs a relay at all (one replica holds the lock and publishes; the others stand by). */
    @WithDefault("true")
    boolean relayEnabled();

    /** Prepended to every topic; tests use it so that they never publish into a running stack's topics. */
    Optional<String> topicPrefix();

    /**
     * How often the active relay looks for unsent events while it finds some (an indexed query; more often means
     * fresher events). Events this replica commits are published within this interval of their commit.
     */
    @WithDefault("100ms")
    Duration pollInterval();

    /**
     * Longest pause between the polls of an idle relay: after each poll that finds nothing the pause doubles from
     * {@link #pollInterval()} up to this. A writer on this replica nudges the relay when its events commit, so they
     * still leave at once; events committed on another replica of the service wait at most this long. Not below
     * {@link #pollInterval()} (equal turns the back-off off).
     */
    @WithDefault("1s")
    Duration idlePollInterval();

    /** How often a standby replica tries to become the active relay. */
    @WithDefault("2s")
    Duration leaderRetryInterval();

    /** Events published per round trip. */
    @WithDefault("200")
    int batchSize();

    /** Longest a send may take before it counts as failed (Kafka's delivery.timeout.ms). */
    @WithDefault("15s")
    Duration sendTimeout();

    /** Longest wait between retries after a failed round; retries start at 200 ms and double. */
    @WithDefault("30s")
    Duration maxBackoff();

    /**
     * How long a published row stays in the outbox table. 0 (the default): it is deleted as soon as Kafka acknowledges
     * it, which costs PostgreSQL less than half of marking it and deleting it later (a mark is a new row version with new
     * index entries); Kafka keeps the event. Longer: the row is marked sent and kept this long for inspection, then
     * pruned.
     */
    @WithDefault("0s")
    Duration sentRetention();

    /** Interval between prunes of sent events and of old processed-event records. */
    @WithDefault("1m")
    Duration pruneInterval();
}
