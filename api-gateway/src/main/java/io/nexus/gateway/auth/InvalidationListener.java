package io.nexus.gateway.auth;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.nexus.common.invalidation.Invalidation;
import io.nexus.events.EventCodec;
import io.nexus.events.NexusEvent;
import io.nexus.events.tenant.ApiKeyRevoked;
import io.nexus.events.tenant.TenantDeleted;
import io.nexus.events.tenant.TenantSuspended;
import io.nexus.events.tenant.TenantUpdated;
import io.nexus.gateway.config.GatewayConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * Keeps the key cache honest (docs/api.md §4: revocation, suspension and quota changes in force within 1 second on every
 * replica). tenant-service publishes on Redis pub/sub in the same request as the change; the nexus.tenants events,
 * read by this replica alone (one consumer group per instance, latest offsets), catch whatever pub/sub missed.
 * Evicting twice is harmless, so neither path needs de-duplication.
 */
@ApplicationScoped
public class InvalidationListener {

    private static final Logger LOG = Logger.getLogger(InvalidationListener.class);

    private final KeyResolver keys;
    private final ReactiveRedisDataSource redis;
    private final ObjectMapper mapper;
    private final String channel;
    private final EventCodec codec = new EventCodec();
    private volatile Cancellable subscription;

    public InvalidationListener(KeyResolver keys, ReactiveRedisDataSource redis, ObjectMapper mapper,
            GatewayConfig config) {
        this.keys = keys;
        this.redis = redis;
        this.mapper = mapper;
        this.channel = config.auth().invalidationChannel();
    }

    void subscribe(@Observes StartupEvent event) {
        subscription = redis.pubsub(String.class).subscribe(channel)
                .onFailure().invoke(failure -> LOG.warnf("Invalidation subscription lost: %s", failure.getMessage()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).indefinitely()
                .subscribe().with(this::onPubSub);
    }

    void unsubscribe(@Observes ShutdownEvent event) {
        if (subscription != null) {
            subscription.cancel();
        }
    }

    private void onPubSub(String message) {
        try {
            apply(mapper.readValue(message, Invalidation.class));
        } catch (Exception e) {
            LOG.debugf("Ignoring an unreadable invalidation: %s", e.getMessage());
        }
    }

    void apply(Invalidation invalidation) {
        if (Invalidation.API_KEY.equals(invalidation.kind()) && invalidation.keyId() != null) {
            keys.evictKey(invalidation.keyId());
        } else if (invalidation.tenantId() != null) {
            keys.evictTenant(invalidation.tenantId());
        }
    }

    /** The backstop: the same invalidations, derived from the tenant events. */
    @Incoming("tenant-events")
    public void onTenantEvent(byte[] message) {
        NexusEvent<?> event;
        try {
            event = codec.decode(message);
        } catch (RuntimeException e) {
            LOG.debugf("Ignoring a message on the tenant topic that is not a Nexus event: %s", e.getMessage());
            return;
        }
        Object data = event.data();
        if (data instanceof ApiKeyRevoked revoked) {
            keys.evictKey(revoked.keyId());
        } else if (data instanceof TenantUpdated || data instanceof TenantSuspended || data instanceof TenantDeleted) {
            keys.evictTenant(event.tenantId());
        }
    }
}
