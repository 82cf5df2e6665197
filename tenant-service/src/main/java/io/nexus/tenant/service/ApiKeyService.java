package io.nexus.tenant.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.nexus.common.identity.CallerIdentity;
import io.nexus.common.identity.Permission;
import io.nexus.common.ids.Ids;
import io.nexus.common.outbox.OutboxWriter;
import io.nexus.common.paging.Page;
import io.nexus.common.paging.PageRequest;
import io.nexus.common.problem.ProblemException;
import io.nexus.events.tenant.ApiKeyCreated;
import io.nexus.events.tenant.ApiKeyRevoked;
import io.nexus.tenant.domain.ApiKey;

import io.nexus.tenant.repository.ApiKeyRepository;
import io.nexus.tenant.repository.TenantRepository;
import io.nexus.tenant.rest.dto.ApiKeyView;
import io.nexus.tenant.rest.dto.CreateApiKeyRequest;
import io.nexus.tenant.rest.dto.CreatedApiKey;
import io.nexus.tenant.rest.dto.ResolvedKey;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/** A tenant's API keys: issued once, listed by prefix, revoked for good; resolved for the gateway by hash. */
@ApplicationScoped
public class ApiKeyService {

    private final ApiKeyRepository keys;
    private final TenantRepository tenants;
    private final OutboxWriter outbox;
    private final TenantViews views;
    private final Plans plans;
    private final Clock clock = Clock.systemUTC();

    public ApiKeyService(ApiKeyRepository keys, TenantRepository tenants, OutboxWriter outbox, TenantViews views,
            Plans plans) {
        this.keys = keys;
        this.tenants = tenants;
        this.outbox = outbox;
        this.views = views;
        this.plans = plans;
    }

    @WithTransaction
    public Uni<CreatedApiKey> create(CallerIdentity caller, UUID tenantId, CreateApiKeyRequest request) {
        TenantAccess.require(caller, tenantId, Permission.MANAGE);
        return liveTenant(tenantId).chain(tenant -> {
            Instant now = now();
            String secret = ApiKeys.generate();
            ApiKey key = new ApiKey();
            key.id = Ids.newUuid();
            key.tenantId = tenantId;
            key.name = request.name().strip();
            key.role = request.role();
            key.prefix = ApiKeys.visiblePrefix(secret);
            key.keyHash = ApiKeys.sha256(secret);
            key.createdAt = now;
            key.expiresAt = request.expiresInDays() == null ? null
                    : now.plus(Duration.ofDays(request.expiresInDays()));
            return keys.persist(key)
                    .call(saved -> outbox.append(new ApiKeyCreated(saved.id.toString(), tenantId.toString(),
                            saved.role.wire(), saved.prefix, saved.expiresAt, now)))
                    .map(saved -> new CreatedApiKey(saved.id.toString(), secret, saved.prefix, saved.name,
                            saved.role.wire(), saved.createdAt, saved.expiresAt));
        });
    }

    @WithSession
    public Uni<Page<ApiKeyView>> list(CallerIdentity caller, UUID tenantId, PageRequest page) {
        TenantAccess.require(caller, tenantId, Permission.MANAGE);
        UUID after = page.afterUuid();
        return liveTenant(tenantId).chain(tenant -> keys.pageOfTenant(tenantId, after, page.fetchSize()))
                .map(rows -> Page.of(rows, page, key -> key.id.toString(), views::of));
    }

    /** Revokes a key; revoking a revoked key again changes nothing and announces nothing. */
    @WithTransaction
    public Uni<Void> revoke(CallerIdentity caller, UUID tenantId, UUID keyId) {
        TenantAccess.require(caller, tenantId, Permission.MANAGE);
        return liveTenant(tenantId)
                .chain(tenant -> keys.findOfTenant(tenantId, keyId))
                .onItem().ifNull().failWith(() -> ProblemException.notFound("no API key '" + keyId + "'"))
                .chain(key -> {
                    if (key.revokedAt != null) {
                        return Uni.createFrom().voidItem();
                    }
                    key.revokedAt = now();
                    return outbox.append(new ApiKeyRevoked(keyId.toString(), tenantId.toString(), key.revokedAt))
                            .replaceWithVoid();
                });
    }

    /**
     * What the gateway needs to admit a key, or null when the key does not exist, is revoked or expired, or belongs
     * to a deleted tenant: all the same to a caller (401).
     */
    @WithSession
    public Uni<ResolvedKey> resolve(byte[] keyHash) {
        return keys.findByHash(keyHash).chain(key -> {
            if (key == null || !ApiKeys.sameHash(key.keyHash, keyHash) || !key.isUsableAt(clock.instant())) {
                return Uni.createFrom().nullItem();
            }
            return tenants.findLive(key.tenantId).map(tenant -> tenant == null ? null
                    : new ResolvedKey(key.id.toString(), tenant.id.toString(), key.role.wire(), tenant.status.wire(),
                            plans.effective(tenant), key.expiresAt));
        });
    }

    private Uni<io.nexus.tenant.domain.Tenant> liveTenant(UUID tenantId) {
        return tenants.findLive(tenantId).onItem().ifNull()
                .failWith(() -> ProblemException.notFound("no tenant '" + tenantId + "'"));
    }


    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
