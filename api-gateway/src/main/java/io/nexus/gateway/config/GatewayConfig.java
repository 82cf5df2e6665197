package io.nexus.gateway.config;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.nexus.common.invalidation.Invalidation;
import io.nexus.common.metering.ApiCallMetering;
import io.nexus.common.session.SessionKeys;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the gateway finds the services behind it, how it authenticates, limits, checks sessions and proxies. */
@ConfigMapping(prefix = "nexus.gateway")
public interface GatewayConfig {

    /** The services behind the gateway, by service name. */
    Map<String, Upstream> services();

    /** How long {@code GET /health} waits for each service's readiness before reporting it down. */
    @WithDefault("2s")
    Duration healthTimeout();

    /** The platform admin key (at least 16 characters); without it there is no platform admin. */
    Optional<String> adminKey();

    Auth auth();

    RateLimit rateLimit();

    Sessions sessions();

    Proxy proxy();

    Edge edge();

    interface Edge {

        /**
         * Longest a new connection may stay silent before its request headers are complete (then it is closed);
         * after the first request, {@code quarkus.http.idle-timeout} applies.
         */
        @WithDefault("10s")
        Duration headerTimeout();

        /** Longest request target (path and query), in characters: 414 above it. */
        @WithDefault("8192")
        int maxUriLength();
    }

    interface Upstream {

        /** Base URL of the service, e.g. {@code http://tenant-service:8081}. */
        URI url();
    }

    interface Auth {

        /** How long a resolved key is trusted without asking tenant-service again (docs/api.md §2: at most 30 s). */
        @WithDefault("30s")
        Duration cacheTtl();

        /** How long an unknown key is remembered as unknown, so that a flood of bad keys does not reach tenant-service. */
        @WithDefault("5s")
        Duration negativeCacheTtl();

        /** Most keys cached per replica. */
        @WithDefault("100000")
        long cacheSize();

        /** Longest wait for tenant-service to resolve a key. */
        @WithDefault("2s")
        Duration resolveTimeout();

        /** Redis channel on which tenant-service announces revoked keys and changed tenants. */
        @WithDefault(Invalidation.DEFAULT_CHANNEL)
        String invalidationChannel();

        /** How failed authentications are throttled per client address (per replica). */
        FailureThrottle failureThrottle();
    }

    interface FailureThrottle {

        /** Failed authentications of one client address within a window after which it gets 429 (0: never). */
        @WithDefault("20")
        int maxFailures();

        /** The window; a throttled address is refused until the window that saw its last allowed failure ends. */
        @WithDefault("1m")
        Duration window();

        /** Most client addresses tracked per replica (the least recent are forgotten first). */
        @WithDefault("100000")
        long maxAddresses();

        /**
         * A header that a trusted proxy in front of the gateway sets to the client's address (e.g. {@code X-Real-IP});
         * unset, the address is the connection's peer. Set it only behind such a proxy: clients could forge it.
         */
        Optional<String> clientAddressHeader();
    }

    interface RateLimit {

        /** Prefix of the Redis keys of the token buckets and the API-call metering. */
        @WithDefault(ApiCallMetering.DEFAULT_PREFIX)
        String keyPrefix();

        /** A rate-limit decision that takes longer than this is skipped (fail open, counted as a dependency error). */
        @WithDefault("250ms")
        Duration redisTimeout();

        /**
         * {@code leased}: each replica takes tokens from the tenant's bucket in Redis in small batches and spends them
         * locally, so most requests do not wait for Redis; a tenant gets at most its limit plus one lease per replica
         * in any window. {@code strict}: one atomic step in Redis per request, exact across replicas.
         */
        @WithDefault("leased")
        RateLimitMode mode();

        /**
         * Most tokens a replica holds for one tenant ({@code leased} mode). A tenant's lease is also never more than
         * one second of its rate ({@code apiCallsPerMinute / 60}), so tenants with small limits stay exact.
         */
        @WithDefault("100")
        int leaseSize();

        /**
         * Longest a replica keeps leased tokens; unspent ones then go back to the bucket. Bounds how long a lowered
         * limit, or tokens held by a replica that stopped taking requests, can take to show in every replica.
         */
        @WithDefault("1s")
        Duration leaseTtl();
    }

    enum RateLimitMode {
        LEASED, STRICT
    }

    interface Sessions {

        /** Prefix of the sessions' Redis keys; session-service must use the same (both read NEXUS_SESSION_KEY_PREFIX). */
        @WithDefault(SessionKeys.DEFAULT_PREFIX)
        String keyPrefix();

        /** A session touch in Redis that takes longer than this answers 503 (sessions cannot be checked). */
        @WithDefault("250ms")
        Duration redisTimeout();

        /** Longest wait for session-service to restore a session that Redis no longer has (then 503). */
        @WithDefault("2s")
        Duration restoreTimeout();
    }

    interface Proxy {

        /** Idle timeout of a proxied request (no byte for this long: 504). */
        @WithDefault("10s")
        Duration defaultTimeout();

        /** Idle timeout of execution starts: at least the longest waitMs (60 s) plus 5 s. */
        @WithDefault("65s")
        Duration executionTimeout();

        /** Idle timeout of Server-Sent Events and MCP streams, which have no overall timeout. */
        @WithDefault("10m")
        Duration streamIdleTimeout();

        /** Largest request body, in bytes (413 above it). */
        @WithDefault("1048576")
        long maxBodyBytes();

        /** Consecutive failures after which a service's circuit opens (503 at once instead of waiting). */
        @WithDefault("5")
        int circuitBreakerFailures();

        /** How long an open circuit stays open before one request may try again. */
        @WithDefault("5s")
        Duration circuitBreakerReset();

        /** Pooled connections per service and event loop. */
        @WithDefault("100")
        int maxConnectionsPerService();

        /**
         * Requests that may wait for one of those connections, per service and event loop. Beyond it a request is
         * refused at once with 503 and {@code Retry-After}: under overload the gateway sheds load rather than queue
         * it without bound (every waiting request only adds to the latency of the ones behind it).
         */
        @WithDefault("100")
        int maxQueuedPerService();
    }
}
