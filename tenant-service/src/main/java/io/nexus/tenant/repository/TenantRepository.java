package io.nexus.tenant.repository;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.nexus.tenant.domain.Tenant;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

/** Live tenants are those not deleted; deleted rows stay so that ids are never reused. */
@ApplicationScoped
@WithSession
public class TenantRepository implements PanacheRepositoryBase<Tenant, UUID> {

    public Uni<Tenant> findLive(UUID id) {
        return find("id = ?1 and deletedAt is null", id).firstResult();
    }

    public Uni<Boolean> nameTaken(String name, UUID exceptId) {
        return count("lower(name) = lower(?1) and deletedAt is null and id <> ?2", name,
                exceptId == null ? new UUID(0, 0) : exceptId).map(count -> count > 0);
    }

    /** Live tenants in id order (UUIDv7: creation order) after {@code after}, at most {@code limit}. */
    public Uni<List<Tenant>> pageAfter(UUID after, int limit) {
        return (after == null
                ? find("deletedAt is null", Sort.by("id"))
                : find("deletedAt is null and id > ?1", Sort.by("id"), after))
                .range(0, limit - 1).list();
    }
}
