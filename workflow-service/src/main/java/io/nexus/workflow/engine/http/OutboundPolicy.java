package io.nexus.workflow.engine.http;

import java.time.Duration;

/**
 * Limits of outbound calls made by {@code http} nodes.
 *
 * @param allowPrivateTargets let calls reach loopback, private, link-local, CGNAT and ULA addresses; tests only
 * @param maxRedirects redirects followed, each re-resolved and re-checked; 0 = off (a 3xx is the result)
 * @param maxResponseBytes response body cap; a larger body fails the call with {@code limit}
 * @param maxTimeout upper bound of a call's deadline
 */
public record OutboundPolicy(boolean allowPrivateTargets, int maxRedirects, long maxResponseBytes,
        Duration maxTimeout) {

    public static final int DEFAULT_MAX_REDIRECTS = 3;
    public static final long DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
    public static final Duration DEFAULT_MAX_TIMEOUT = Duration.ofSeconds(30);

    public OutboundPolicy {
        if (maxRedirects < 0) {
            throw new IllegalArgumentException("maxRedirects must be >= 0");
        }
        if (maxResponseBytes <= 0 || maxResponseBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("maxResponseBytes must be between 1 and 2^31-1");
        }
        if (maxTimeout == null || maxTimeout.isNegative() || maxTimeout.isZero()) {
            throw new IllegalArgumentException("maxTimeout must be positive");
        }
    }

    public static OutboundPolicy defaults() {
        return new OutboundPolicy(false, DEFAULT_MAX_REDIRECTS, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_MAX_TIMEOUT);
    }

    public OutboundPolicy withAllowPrivateTargets(boolean allow) {
        return new OutboundPolicy(allow, maxRedirects, maxResponseBytes, maxTimeout);
    }

    public OutboundPolicy withMaxRedirects(int redirects) {
        return new OutboundPolicy(allowPrivateTargets, redirects, maxResponseBytes, maxTimeout);
    }

    public OutboundPolicy withMaxResponseBytes(long bytes) {
        return new OutboundPolicy(allowPrivateTargets, maxRedirects, bytes, maxTimeout);
    }
}
