package io.nexus.session.config;

import java.time.Duration;

import io.nexus.common.session.SessionKeys;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Sessions: their limits, where they live in Redis, and how they reach PostgreSQL. */
@ConfigMapping(prefix = "nexus.session")
public interface SessionConfig {

    /** Prefix of every session key in Redis; the gateway must use the same one. */
    @WithDefault(SessionKeys.DEFAULT_PREFIX)
    String keyPrefix();

    /** Time to live of a session created without {@code ttlSeconds}; it slides on every use. */
    @WithDefault("1800s")
    Duration defaultTtl();

    /** The longest {@code ttlSeconds} a tenant may ask for. */
    @WithDefault("86400s")
    Duration maxTtl();

    /** The largest {@code data} after a merge, serialized (413 beyond). */
    @WithDefault("65536")
    int maxDataBytes();

    /** Most sessions a tenant may have open before the tenant-service projection has told this service its quota. */
    @WithDefault("1000")
    long fallbackConcurrentSessions();

    /** How often each replica writes the sessions used since the last flush to PostgreSQL (the write-behind). */
    @WithDefault("1s")
    Duration flushInterval();

    /** Most sessions one flush writes; more wait for the next one. */
    @WithDefault("500")
    int flushBatch();

    /** How often one replica looks for sessions whose time ran out, to end them and publish the expiry. */
    @WithDefault("5s")
    Duration sweepInterval();

    /** Most sessions one sweep ends. */
    @WithDefault("500")
    int sweepBatch();

    /** How long ended sessions (and their execution lists) stay listable before they are purged. */
    @WithDefault("7d")
    Duration endedRetention();

    /** How often each replica recounts {@code nexus_active_sessions}. */
    @WithDefault("10s")
    Duration gaugeInterval();

    /** Attempts of a merge whose nested members another writer changed meanwhile, before 409. */
    @WithDefault("100")
    int mergeAttempts();

    /**
     * How far PostgreSQL's view of an expiry may lag Redis's: the flush interval, plus margin. The sweep leaves a
     * session alone until its recorded expiry is this far behind.
     */
    default Duration expiryGrace() {
        return flushInterval().multipliedBy(3);
    }
}
