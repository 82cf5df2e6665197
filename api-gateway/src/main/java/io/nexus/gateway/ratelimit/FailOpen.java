package io.nexus.gateway.ratelimit;


import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.nexus.common.metrics.ContractMetrics;
import io.nexus.common.metrics.ErrorType;

/**
 * What happens when Redis does not answer a rate-limit step in time: the requests waiting for it pass unlimited, the
 * failure counts in {@code nexus_errors_total{type="dependency"}}, and it is logged at most once a second. The limit
 * protects capacity; refusing every request because the limiter's store is down would turn a Redis outage into a full
 * outage. Redis also gates the gateway's readiness, so a gateway without Redis leaves rotation anyway.
 */
@Singleton
public class FailOpen {

    private static final Logger LOG = Logger.getLogger(FailOpen.class);

    private final ContractMetrics metrics;
    private volatile long lastWarning;

    public FailOpen(ContractMetrics metrics) {
        this.metrics = metrics;
    }

    /** Records one unanswered step. */
    void record(Throwable failure) {
        metrics.countError(ErrorType.DEPENDENCY);
        long now = System.currentTimeMillis();
        if (now - lastWarning > 1000) {
            lastWarning = now;
            LOG.warnf("Rate limit not enforced (Redis: %s); failing open", failure.getMessage());
        }
    }
}
