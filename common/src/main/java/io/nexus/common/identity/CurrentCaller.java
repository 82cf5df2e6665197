package io.nexus.common.identity;

import jakarta.enterprise.context.RequestScoped;

import io.nexus.common.problem.ProblemException;
import io.nexus.common.problem.ProblemType;

/**
 * The verified caller of the current request, set by {@link IdentityFilter}. Resources and services ask it who is
 * calling and whether the caller may do what it asks (docs/api.md §2).
 */
@RequestScoped
public class CurrentCaller {

    private CallerIdentity identity;

    void set(CallerIdentity identity) {
        this.identity = identity;
    }

    public CallerIdentity identity() {
        if (identity == null) {
            throw new ProblemException(ProblemType.UNAUTHORIZED, "missing internal identity");
        }
        return identity;
    }

    /** The tenant the caller acts for; the platform admin and services have none here, so they get 403. */
    public String tenantId() {
        CallerIdentity caller = identity();
        if (caller.tenantId() == null) {
            throw new ProblemException(ProblemType.FORBIDDEN, "this operation belongs to a tenant's API keys");
        }
        return caller.tenantId();
    }

    /** Fails with 403 unless the caller's role grants {@code permission} (the platform admin only on tenants). */
    public CallerIdentity require(Permission permission) {
        CallerIdentity caller = identity();
        if (!caller.role().allows(permission)) {
            throw new ProblemException(ProblemType.FORBIDDEN,
                    "role '" + caller.role().wire() + "' may not " + describe(permission));
        }
        return caller;
    }

    public CallerIdentity requirePlatformAdmin() {
        CallerIdentity caller = identity();
        if (!caller.isPlatformAdmin()) {
            throw new ProblemException(ProblemType.FORBIDDEN, "only the platform admin may do this");
        }
        return caller;
    }

    private static String describe(Permission permission) {
        return switch (permission) {
            case READ -> "read this tenant's resources";
            case WRITE -> "change this tenant's resources";
            case MANAGE -> "manage this tenant's API keys or read its usage";
        };
    }
}
