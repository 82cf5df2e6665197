package io.nexus.gateway.auth;

import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;


import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.nexus.gateway.config.GatewayConfig;
import io.vertx.core.http.HttpServerRequest;

/**
 * Failed authentications per client address, so that a flood of guessed keys stops reaching tenant-service's database:
 * after {@code max-failures} failures within a {@code window}, the address is answered 429 (with {@code Retry-After})
 * until that window ends, without asking tenant-service. Every failure counts in
 * {@code nexus_gateway_auth_failures_total{reason}}.
 *
 * <p><b>Per replica, not in Redis.</b> A failure must cost nothing more than what it already cost, and a success
 * nothing at all: the happy path only reads this replica's map (usually empty), and only a failure writes it. Shared
 * counters would put a Redis round trip on every failure, and the gate protects tenant-service's database, which the
 * replicas' negative key caches already shield per replica too. An address spread over N replicas gets up to N times
 * the budget; that still bounds it.
 *
 * <p>A throttled address keeps the use of keys this replica has already resolved as valid (cached: tenant-service is
 * not asked for them); any other key from it, the platform admin key included, waits for the window to end.
 */
@Singleton
public class FailedAuthThrottle {

    /** Why an authentication failed: the {@code reason} label. */
    public enum Reason {
        /** No usable key in the request (never reaches tenant-service: counted, not throttled). */
        MISSING_KEY("missing_key"),
        /** tenant-service knows no such key (or it is revoked). */
        UNKNOWN_KEY("unknown_key"),
        /** The key has expired. */
        EXPIRED_KEY("expired_key"),
        /** Refused because the address is throttled; tenant-service was not asked. */
        THROTTLED("throttled");

        private final String label;

        Reason(String label) {
            this.label = label;
        }
    }

    public static final String METRIC = "nexus.gateway.auth.failures";

    private final Cache<String, Failures> addresses;
    private final Map<Reason, Counter> counters = new EnumMap<>(Reason.class);
    private final int maxFailures;
    private final long windowMs;
    private final String addressHeader;

    public FailedAuthThrottle(GatewayConfig config, MeterRegistry registry) {
        GatewayConfig.FailureThrottle throttle = config.auth().failureThrottle();
        this.maxFailures = throttle.maxFailures();
        this.windowMs = throttle.window().toMillis();
        this.addressHeader = throttle.clientAddressHeader().orElse(null);
        this.addresses = Caffeine.newBuilder()
                .maximumSize(throttle.maxAddresses())
                .expireAfterWrite(Duration.ofMillis(windowMs))
                .build();
        for (Reason reason : Reason.values()) {
            counters.put(reason, Counter.builder(METRIC)
                    .description("Failed authentications at the gateway, by reason")
                    .tag("reason", reason.label)
                    .register(registry));
        }
    }

    /** The client's address: the configured header set by a trusted proxy in front, else the connection's peer. */
    public String clientAddress(HttpServerRequest request) {
        if (addressHeader != null) {
            String forwarded = request.getHeader(addressHeader);
            if (forwarded != null && !forwarded.isBlank()) {
                return forwarded.trim();
            }
        }
        return request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    }

    /**
     * Seconds until the request's client address may try again (at least 1), or 0 when it is not throttled. On every
     * request: while no address has failed lately, this is one size check.
     */
    public long retryAfterSeconds(HttpServerRequest request) {
        if (maxFailures <= 0 || addresses.estimatedSize() == 0) {
            return 0;
        }
        Failures failures = addresses.getIfPresent(clientAddress(request));
        return failures == null ? 0 : failures.retryAfterSeconds(System.currentTimeMillis());
    }

    /** Counts a failure of {@code address}; {@link Reason#MISSING_KEY} and throttled refusals are only counted. */
    public void failed(String address, Reason reason) {
        counters.get(reason).increment();
        if (maxFailures <= 0 || reason == Reason.MISSING_KEY || reason == Reason.THROTTLED) {
            return;
        }
        addresses.get(address, ignored -> new Failures()).record(System.currentTimeMillis(), maxFailures, windowMs);
    }

    /** One address's failures in its current window, and until when it is refused. */
    private static final class Failures {

        private long windowStart;
        private int count;
        private long blockedUntil;

        synchronized void record(long now, int maxFailures, long windowMs) {
            if (now >= blockedUntil && now - windowStart >= windowMs) {
                windowStart = now;
                count = 0;
            }
            count++;
            if (count >= maxFailures && blockedUntil <= now) {
                blockedUntil = windowStart + windowMs;
            }
        }

        synchronized long retryAfterSeconds(long now) {
            return now < blockedUntil ? Math.max(1, (blockedUntil - now + 999) / 1000) : 0;
        }
    }
}
