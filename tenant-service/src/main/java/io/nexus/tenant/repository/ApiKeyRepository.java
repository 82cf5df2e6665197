package io.nexus.tenant.repository;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.nexus.tenant.domain.ApiKey;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
@WithSession
public class ApiKeyRepository implements PanacheRepositoryBase<ApiKey, UUID> {

    public Uni<ApiKey> findByHash(byte[] keyHash) {
        return find("keyHash", keyHash).firstResult();
    }

    public Uni<ApiKey> findOfTenant(UUID tenantId, UUID keyId) {
        return find("id = ?1 and tenantId = ?2", keyId, tenantId).firstResult();
    }

    public Uni<List<ApiKey>> pageOfTenant(UUID tenantId, UUID after, int limit) {
        return (after == null
                ? find("tenantId = ?1", Sort.by("id"), tenantId)
                : find("tenantId = ?1 and id > ?2", Sort.by("id"), tenantId, after))
                .range(0, limit - 1).list();
    }

    /** Revokes every key of the tenant that is not revoked yet; returns how many. */
    public Uni<Integer> revokeAllOfTenant(UUID tenantId, Instant at) {
        return update("revokedAt = ?1 where tenantId = ?2 and revokedAt is null", at, tenantId);
    }
}
