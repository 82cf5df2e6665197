package io.nexus.gateway.session;


import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.nexus.common.http.Channel;
import io.nexus.common.identity.CallerIdentity;
import io.nexus.common.metrics.ContractMetrics;
import io.nexus.common.metrics.ErrorType;
import io.vertx.core.Future;

/**
 * Every request with a tenant key and {@code X-Nexus-Session} uses its session (docs/api.md §2.5): the touch goes to
 * Redis in the same round trip as the rate-limit step, and the request is forwarded only once the session is known to
 * be the tenant's. A session Redis no longer has is restored by session-service; another tenant's session gets the
 * same answer as an unknown one, so that nothing leaks about other tenants.
 *
 * <p><b>Fails closed</b>, unlike the rate limit: a request would otherwise reach a service under a session nobody
 * checked, and be recorded under it. Only requests that carry the header depend on it.
 */
@Singleton
public class SessionGate {

    private static final Logger LOG = Logger.getLogger(SessionGate.class);

    private final SessionToucher toucher;
    private final SessionRestorer restorer;
    private final ContractMetrics metrics;
    private volatile long lastWarning;

    public SessionGate(SessionToucher toucher, SessionRestorer restorer, ContractMetrics metrics) {
        this.toucher = toucher;
        this.restorer = restorer;
        this.metrics = metrics;
    }

    /** Sends the touch now; its answer is read by {@link #verdict} once the request has passed the rate limit. */
    public Future<SessionTouch> touch(String tenantId, Channel channel, String sessionId) {
        return toucher.touch(tenantId, channel, sessionId);
    }

    /** What the touch means for the request; never fails. */
    public Future<SessionVerdict> verdict(Future<SessionTouch> touched, CallerIdentity caller) {
        return touched.transform(answer -> {
            if (answer.failed()) {
                return Future.succeededFuture(unavailable("Redis", answer.cause()));
            }
            return switch (answer.result()) {
                case TOUCHED -> Future.succeededFuture(SessionVerdict.IN_USE);
                case OTHER_TENANT -> Future.succeededFuture(SessionVerdict.UNKNOWN);
                case NOT_IN_REDIS -> restorer.restore(caller).transform(restored -> Future.succeededFuture(
                        restored.failed() ? unavailable("session-service", restored.cause())
                                : restored.result() ? SessionVerdict.IN_USE : SessionVerdict.UNKNOWN));
            };
        });
    }

    private SessionVerdict unavailable(String dependency, Throwable failure) {
        metrics.countError(ErrorType.DEPENDENCY);
        long now = System.currentTimeMillis();
        if (now - lastWarning > 1000) {
            lastWarning = now;
            LOG.warnf("Sessions cannot be checked (%s: %s); answering 503", dependency, failure.getMessage());
        }
        return SessionVerdict.UNAVAILABLE;
    }
}
