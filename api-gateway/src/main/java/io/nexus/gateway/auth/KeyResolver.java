package io.nexus.gateway.auth;

import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;


import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import io.nexus.common.http.Channel;
import io.nexus.common.identity.ApiKeyHash;
import io.nexus.common.identity.Audiences;
import io.nexus.common.identity.CallerIdentity;
import io.nexus.common.identity.IdentityTokens;
import io.nexus.common.identity.Role;
import io.nexus.common.metrics.ContractMetrics;
import io.nexus.common.metrics.ErrorType;
import io.nexus.events.tenant.Quotas;
import io.nexus.gateway.config.GatewayConfig;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;

/**
 * Resolves API keys through tenant-service and caches the answers in-process: known keys for
 * {@code nexus.gateway.auth.cache-ttl} (at most 30 s), unknown ones for a few seconds. Concurrent requests with the same
 * key share one lookup. Only the key's SHA-256 leaves the gateway.
 *
 * <p>Invalidations (Redis pub/sub, Kafka backstop) evict entries at once. A lookup that was in flight when an
 * invalidation arrived is not cached, so a revoked key cannot slip back in through a race.
 */
@Singleton
public class KeyResolver {

    private static final Logger LOG = Logger.getLogger(KeyResolver.class);
    private static final String RESOLVE_PATH = "/internal/api-keys/resolve";

    private final AsyncCache<String, Optional<AuthenticatedKey>> cache;
    private final AtomicLong invalidations = new AtomicLong();
    private final WebClient client;
    private final CircuitBreaker breaker;
    private final IdentityTokens identities;
    private final ObjectMapper mapper;
    private final ContractMetrics metrics;
    private final String resolveUrl;
    private final long timeoutMs;

    public KeyResolver(Vertx vertx, GatewayConfig config, IdentityTokens identities, ObjectMapper mapper,
            ContractMetrics metrics) {
        GatewayConfig.Auth auth = config.auth();
        this.cache = Caffeine.newBuilder()
                .maximumSize(auth.cacheSize())
                .expireAfter(new Expiry<String, Optional<AuthenticatedKey>>() {
                    @Override
                    public long expireAfterCreate(String key, Optional<AuthenticatedKey> value, long now) {
                        return (value.isPresent() ? auth.cacheTtl() : auth.negativeCacheTtl()).toNanos();
                    }

                    @Override
                    public long expireAfterUpdate(String key, Optional<AuthenticatedKey> value, long now, long current) {
                        return expireAfterCreate(key, value, now);
                    }

                    @Override
                    public long expireAfterRead(String key, Optional<AuthenticatedKey> value, long now, long current) {
                        return current;
                    }
                })
                .buildAsync();
        this.timeoutMs = auth.resolveTimeout().toMillis();
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setConnectTimeout((int) timeoutMs)
                .setKeepAlive(true)
                .setMaxPoolSize(32));
        this.breaker = CircuitBreaker.create("tenant-service-resolve", vertx.getDelegate(), new CircuitBreakerOptions()
                .setMaxFailures(config.proxy().circuitBreakerFailures())
                .setResetTimeout(config.proxy().circuitBreakerReset().toMillis())
                .setTimeout(-1)
                .setNotificationAddress(null));
        this.identities = identities;
        this.mapper = mapper;
        this.metrics = metrics;
        this.resolveUrl = config.services().get("tenant-service").url().resolve(RESOLVE_PATH).toString();
    }

    /**
     * The key's grant, empty when tenant-service does not know it (or it is revoked or expired). A cached key is an
     * already completed future, so the caller can go on at once on its own thread; a lookup completes on the thread
     * of tenant-service's answer.
     */
    public CompletableFuture<Optional<AuthenticatedKey>> resolve(String apiKey, String requestId) {
        String hash = ApiKeyHash.hex(apiKey);
        long generation = invalidations.get();
        CompletableFuture<Optional<AuthenticatedKey>> lookup = cache.get(hash,
                (key, executor) -> load(hash, requestId).whenComplete((value, failure) -> {
                    if (invalidations.get() != generation) {
                        // An invalidation arrived while this lookup was in flight: answer, but do not keep it.
                        cache.synchronous().invalidate(hash);
                    }
                }));
        return lookup;
    }

    /** Whether this replica already holds the key as valid, so that using it asks tenant-service nothing. */
    public boolean cachedValid(String apiKey) {
        CompletableFuture<Optional<AuthenticatedKey>> cached = cache.getIfPresent(ApiKeyHash.hex(apiKey));
        return cached != null && cached.isDone() && !cached.isCompletedExceptionally() && cached.join().isPresent();
    }

    /** Forgets one key (revoked). */
    public void evictKey(String keyId) {
        invalidations.incrementAndGet();
        cache.synchronous().asMap().entrySet()
                .removeIf(entry -> entry.getValue().map(key -> key.keyId().equals(keyId)).orElse(false));
    }

    /** Forgets every key of a tenant (suspended, changed quotas, deleted). */
    public void evictTenant(String tenantId) {
        invalidations.incrementAndGet();
        cache.synchronous().asMap().entrySet()
                .removeIf(entry -> entry.getValue().map(key -> key.tenantId().equals(tenantId)).orElse(false));
    }

    private CompletableFuture<Optional<AuthenticatedKey>> load(String hash, String requestId) {
        String identity = identities.sign(new CallerIdentity(null, Role.SERVICE, null, Channel.API, null, requestId),
                Audiences.TENANT_SERVICE);
        return breaker.<Optional<AuthenticatedKey>> execute(promise -> client.postAbs(resolveUrl)
                .putHeader(IdentityTokens.HEADER, identity)
                .putHeader("X-Request-Id", requestId)
                .timeout(timeoutMs)
                .sendJsonObject(new JsonObject().put("sha256", hash))
                .subscribe().with(response -> {
                    if (response.statusCode() == 200) {
                        promise.complete(Optional.of(parse(response.bodyAsString())));
                    } else if (response.statusCode() == 404) {
                        promise.complete(Optional.empty());
                    } else {
                        promise.fail("tenant-service answered " + response.statusCode());
                    }
                }, promise::fail))
                .toCompletionStage().toCompletableFuture()
                .exceptionallyCompose(failure -> {
                    metrics.countError(ErrorType.DEPENDENCY);
                    LOG.warnf("Key resolution failed: %s", failure.getMessage());
                    return CompletableFuture.failedFuture(
                            new TenantServiceUnavailableException("tenant-service cannot resolve keys", failure));
                });
    }

    private AuthenticatedKey parse(String body) {
        try {
            JsonNode json = mapper.readTree(body);
            JsonNode quotas = json.path("quotas");
            String expiresAt = json.path("expiresAt").isNull() || json.path("expiresAt").isMissingNode() ? null
                    : json.path("expiresAt").asText();
            return new AuthenticatedKey(json.path("keyId").asText(), json.path("tenantId").asText(),
                    Role.fromWire(json.path("role").asText()), "suspended".equals(json.path("tenantStatus").asText()),
                    new Quotas(quotas.path("workflows").asLong(), quotas.path("executionsPerDay").asLong(),
                            quotas.path("apiCallsPerMinute").asLong(), quotas.path("concurrentSessions").asLong(),
                            quotas.path("concurrentExecutions").asLong()),
                    expiresAt == null ? null : Instant.parse(expiresAt));
        } catch (Exception e) {
            throw new IllegalStateException("unreadable key resolution", e);
        }
    }


    /** For tests and metrics: how many keys this replica holds. */
    public long cachedKeys() {
        return cache.synchronous().estimatedSize();
    }
}
