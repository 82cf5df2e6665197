package io.nexus.workflow.catalog;

import java.time.Duration;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.nexus.workflow.repository.WorkflowRepository;
import io.nexus.workflow.repository.WorkflowRepository.VersionRef;
import io.smallrye.mutiny.Uni;

/**
 * The version each start resolved last, per tenant, workflow and requested version (null: the latest), so that a start
 * costs no read of its own. Never trusted blindly: the start statement checks that the version is still startable
 * (workflow not deleted; still the latest when the latest was asked for) and otherwise writes nothing and answers
 * {@code VERSION_CHANGED}, upon which the start forgets the entry and resolves again. A change made on any replica is
 * so seen by the next start everywhere.
 */
@ApplicationScoped
public class ResolvedVersions {

    private record Key(UUID tenant, String workflow, Integer version) {
    }

    private final WorkflowRepository workflows;
    private final Cache<Key, VersionRef> cache = Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterAccess(Duration.ofMinutes(10))
            .build();

    public ResolvedVersions(WorkflowRepository workflows) {
        this.workflows = workflows;
    }

    /** The version to start, or null when the workflow (or that version of it) does not exist. */
    public Uni<VersionRef> resolve(UUID tenant, String workflow, Integer version) {
        Key key = new Key(tenant, workflow, version);
        VersionRef known = cache.getIfPresent(key);
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        return workflows.findVersionRef(tenant, workflow, version).invoke(found -> {
            if (found != null) {
                cache.put(key, found);
            }
        });
    }

    public void forget(UUID tenant, String workflow, Integer version) {
        cache.invalidate(new Key(tenant, workflow, version));
    }
}
