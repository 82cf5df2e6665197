package io.nexus.tenant.service;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.nexus.common.invalidation.Invalidation;
import io.nexus.common.metrics.ContractMetrics;
import io.nexus.common.metrics.ErrorType;
import io.nexus.tenant.config.TenantConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.smallrye.mutiny.Uni;

/**
 * Tells every gateway replica, right after a change commits, to forget what it cached about a key or tenant. Best
 * effort by design: if Redis is unreachable the change still stands, the failure is counted, and the gateways learn
 * of it from the nexus.tenants events instead (seconds later) or when their cache entry expires (30 s at most).
 */
@ApplicationScoped
public class Invalidations {

    private static final Logger LOG = Logger.getLogger(Invalidations.class);

    private final ReactivePubSubCommands<String> pubsub;
    private final ObjectMapper mapper;
    private final ContractMetrics metrics;
    private final String channel;

    public Invalidations(ReactiveRedisDataSource redis, ObjectMapper mapper, ContractMetrics metrics,
            TenantConfig config) {
        this.pubsub = redis.pubsub(String.class);
        this.mapper = mapper;
        this.metrics = metrics;
        this.channel = config.invalidationChannel();
    }

    public Uni<Void> publish(Invalidation invalidation) {
        String message;
        try {
            message = mapper.writeValueAsString(invalidation);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        return pubsub.publish(channel, message)
                .ifNoItem().after(java.time.Duration.ofSeconds(1)).fail()
                .onFailure().recoverWithItem(failure -> {
                    metrics.countError(ErrorType.DEPENDENCY);
                    LOG.warnf("Could not publish %s invalidation for tenant %s: %s", invalidation.kind(),
                            invalidation.tenantId(), failure.getMessage());
                    return null;
                });
    }
}
