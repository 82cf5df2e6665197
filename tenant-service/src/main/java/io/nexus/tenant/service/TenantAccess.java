package io.nexus.tenant.service;

import java.util.UUID;

import io.nexus.common.identity.CallerIdentity;
import io.nexus.common.identity.Permission;
import io.nexus.common.problem.ProblemException;
import io.nexus.common.problem.ProblemType;

/**
 * Who may see and touch which tenant (docs/api.md §2, §4): the platform admin every tenant; a tenant's keys only their
 * own, which for any other tenant answers 404 exactly like a tenant that does not exist.
 */
final class TenantAccess {

    private TenantAccess() {
    }

    static void requireVisible(CallerIdentity caller, UUID tenantId) {
        if (!caller.actsFor(tenantId.toString())) {
            throw ProblemException.notFound("no tenant '" + tenantId + "'");
        }
    }

    /** Visible, and the platform admin or a key of the tenant with {@code permission}. */
    static void require(CallerIdentity caller, UUID tenantId, Permission permission) {
        requireVisible(caller, tenantId);
        if (!caller.isPlatformAdmin() && !caller.role().allows(permission)) {
            throw new ProblemException(ProblemType.FORBIDDEN, "role '" + caller.role().wire() + "' may not "
                    + (permission == Permission.MANAGE ? "manage this tenant's API keys or read its usage"
                            : "change this tenant"));
        }
    }

    static void requirePlatformAdmin(CallerIdentity caller, UUID tenantId) {
        requireVisible(caller, tenantId);
        if (!caller.isPlatformAdmin()) {
            throw new ProblemException(ProblemType.FORBIDDEN, "only the platform admin may change or delete a tenant");
        }
    }
}
