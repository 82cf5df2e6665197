package io.nexus.tenant.service;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.nexus.common.identity.CallerIdentity;
import io.nexus.common.ids.Ids;
import io.nexus.common.outbox.OutboxWriter;
import io.nexus.common.paging.Page;
import io.nexus.common.paging.PageRequest;
import io.nexus.common.problem.ProblemException;
import io.nexus.common.validation.MergePatch;
import io.nexus.events.tenant.Quotas;
import io.nexus.events.tenant.TenantCreated;
import io.nexus.events.tenant.TenantDeleted;
import io.nexus.events.tenant.TenantSuspended;
import io.nexus.events.tenant.TenantUpdated;
import io.nexus.tenant.domain.QuotaName;
import io.nexus.tenant.domain.Tenant;
import io.nexus.tenant.domain.TenantStatus;
import io.nexus.tenant.repository.ApiKeyRepository;
import io.nexus.tenant.repository.TenantRepository;
import io.nexus.tenant.rest.dto.CreateTenantRequest;
import io.nexus.tenant.rest.dto.QuotaOverrides;
import io.nexus.tenant.rest.dto.TenantPatch;
import io.nexus.tenant.rest.dto.TenantView;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/** Tenants: every change commits together with the event that announces it (nexus.tenants, through the outbox). */
@ApplicationScoped
public class TenantService {

    private final TenantRepository tenants;
    private final ApiKeyRepository keys;
    private final OutboxWriter outbox;
    private final Plans plans;
    private final TenantViews views;
    private final Clock clock = Clock.systemUTC();

    public TenantService(TenantRepository tenants, ApiKeyRepository keys, OutboxWriter outbox, Plans plans,
            TenantViews views) {
        this.tenants = tenants;
        this.keys = keys;
        this.outbox = outbox;
        this.plans = plans;
        this.views = views;
    }

    @WithTransaction
    public Uni<TenantView> create(CreateTenantRequest request) {
        String name = request.name().strip();
        return tenants.nameTaken(name, null).chain(taken -> {
            if (taken) {
                return Uni.createFrom().failure(duplicate(name));
            }
            Instant now = now();
            Tenant tenant = new Tenant();
            tenant.id = Ids.newUuid();
            tenant.name = name;
            tenant.status = TenantStatus.ACTIVE;
            tenant.plan = request.plan() != null ? request.plan() : plans.defaultPlan();
            applyOverrides(tenant, request.quotas());
            tenant.createdAt = now;
            tenant.updatedAt = now;
            return tenants.persistAndFlush(tenant)
                    .call(saved -> outbox.append(new TenantCreated(saved.id.toString(), saved.name, saved.plan,
                            saved.status.wire(), plans.effective(saved), now)))
                    .map(views::of);
        }).onFailure().transform(failure -> Conflicts.translate(failure, "a tenant named '" + name + "' exists"));
    }

    @WithSession
    public Uni<Page<TenantView>> list(PageRequest page) {
        UUID after = page.afterUuid();
        return tenants.pageAfter(after, page.fetchSize())
                .map(rows -> Page.of(rows, page, tenant -> tenant.id.toString(), views::of));
    }

    @WithSession
    public Uni<TenantView> get(CallerIdentity caller, UUID id) {
        TenantAccess.requireVisible(caller, id);
        return live(id).map(views::of);
    }

    @WithTransaction
    public Uni<TenantView> update(CallerIdentity caller, UUID id, MergePatch<TenantPatch> patch) {
        TenantAccess.requirePlatformAdmin(caller, id);
        TenantPatch changes = patch.value();
        String newName = patch.has("name") ? changes.name().strip() : null;
        Uni<Boolean> nameTaken = newName == null ? Uni.createFrom().item(false) : tenants.nameTaken(newName, id);
        return live(id).chain(tenant -> nameTaken.chain(taken -> {
            if (taken) {
                return Uni.createFrom().failure(duplicate(newName));
            }
            boolean newlySuspended = patch.has("status") && changes.status() == TenantStatus.SUSPENDED
                    && tenant.status != TenantStatus.SUSPENDED;
            if (newName != null) {
                tenant.name = newName;
            }
            if (patch.has("status")) {
                tenant.status = changes.status();
            }
            applyQuotaPatch(tenant, patch);
            Instant now = now();
            tenant.updatedAt = now;
            Quotas quotas = plans.effective(tenant);
            Uni<Void> updated = outbox.append(new TenantUpdated(tenant.id.toString(), tenant.name, tenant.plan,
                    tenant.status.wire(), quotas, now)).replaceWithVoid();
            Uni<Void> events = !newlySuspended ? updated : updated
                    .chain(() -> outbox.append(new TenantSuspended(tenant.id.toString(), now))).replaceWithVoid();
            return tenants.flush().chain(() -> events).map(ignored -> views.of(tenant));
        })).onFailure().transform(failure -> Conflicts.translate(failure, "a tenant named '" + newName + "' exists"));
    }

    /** Soft delete: the tenant disappears from the API, its keys are revoked, its id is never reused. */
    @WithTransaction
    public Uni<Void> delete(CallerIdentity caller, UUID id) {
        TenantAccess.requirePlatformAdmin(caller, id);
        return live(id).chain(tenant -> {
            Instant now = now();
            tenant.deletedAt = now;
            tenant.updatedAt = now;
            return keys.revokeAllOfTenant(id, now)
                    .chain(() -> outbox.append(new TenantDeleted(id.toString(), now)))
                    .replaceWithVoid();
        });
    }

    private Uni<Tenant> live(UUID id) {
        return tenants.findLive(id).onItem().ifNull()
                .failWith(() -> ProblemException.notFound("no tenant '" + id + "'"));
    }

    private static void applyOverrides(Tenant tenant, QuotaOverrides overrides) {
        if (overrides == null) {
            return;
        }
        tenant.override(QuotaName.WORKFLOWS, overrides.workflows());
        tenant.override(QuotaName.EXECUTIONS_PER_DAY, overrides.executionsPerDay());
        tenant.override(QuotaName.API_CALLS_PER_MINUTE, overrides.apiCallsPerMinute());
        tenant.override(QuotaName.CONCURRENT_SESSIONS, overrides.concurrentSessions());
        tenant.override(QuotaName.CONCURRENT_EXECUTIONS, overrides.concurrentExecutions());
    }

    /** {@code "quotas": null} resets every override; inside it, a number sets one and null resets one. */
    private static void applyQuotaPatch(Tenant tenant, MergePatch<TenantPatch> patch) {
        if (patch.clears("quotas")) {
            for (QuotaName quota : QuotaName.values()) {
                tenant.override(quota, null);
            }
            return;
        }
        QuotaOverrides values = patch.value().quotas();
        for (QuotaName quota : QuotaName.values()) {
            String path = "quotas." + quota.json();
            if (patch.clears(path)) {
                tenant.override(quota, null);
            } else if (patch.has(path)) {
                tenant.override(quota, valueOf(values, quota));
            }
        }
    }

    private static Long valueOf(QuotaOverrides values, QuotaName quota) {
        return switch (quota) {
            case WORKFLOWS -> values.workflows();
            case EXECUTIONS_PER_DAY -> values.executionsPerDay();
            case API_CALLS_PER_MINUTE -> values.apiCallsPerMinute();
            case CONCURRENT_SESSIONS -> values.concurrentSessions();
            case CONCURRENT_EXECUTIONS -> values.concurrentExecutions();
        };
    }


    private static ProblemException duplicate(String name) {
        return new ProblemException(io.nexus.common.problem.ProblemType.CONFLICT,
                "a tenant named '" + name + "' exists");
    }

    private Instant now() {
        // Microseconds: what PostgreSQL keeps, so that what a response shows equals what a later read returns.
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
