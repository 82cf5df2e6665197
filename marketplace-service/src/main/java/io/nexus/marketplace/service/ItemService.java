package io.nexus.marketplace.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.nexus.common.identity.CallerIdentity;
import io.nexus.common.ids.Ids;
import io.nexus.common.outbox.OutboxWriter;
import io.nexus.common.problem.FieldError;
import io.nexus.common.problem.ProblemException;
import io.nexus.common.problem.ProblemType;
import io.nexus.events.marketplace.ItemPublished;
import io.nexus.events.marketplace.VersionPublished;
import io.nexus.marketplace.client.WorkflowServiceClient;
import io.nexus.marketplace.client.WorkflowServiceException;
import io.nexus.marketplace.config.MarketplaceConfig;
import io.nexus.marketplace.domain.Item;
import io.nexus.marketplace.domain.ItemVersion;
import io.nexus.marketplace.domain.ItemVersions;
import io.nexus.marketplace.domain.Semver;
import io.nexus.marketplace.domain.Snapshots;
import io.nexus.marketplace.domain.Trending;
import io.nexus.marketplace.domain.WorkflowSnapshot;
import io.nexus.marketplace.metrics.MarketplaceMetrics;
import io.nexus.marketplace.repository.ItemRepository;
import io.nexus.marketplace.rest.dto.ItemView;
import io.nexus.marketplace.rest.dto.VersionSnapshotView;
import io.nexus.marketplace.rest.dto.VersionView;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Publishing: an item is a snapshot of a version of the publisher's workflow, fetched from workflow-service with the
 * publisher's own identity, stripped of {@code http} header values, and stored immutably with the item, its
 * statistics row and its event in one transaction. Versions are added (semver, strictly increasing) and yanked by
 * the publisher's developers and admins only; another tenant's item answers 404 to them, like an unknown one.
 */
@ApplicationScoped
public class ItemService {

    private final Pool pool;
    private final ItemRepository items;
    private final WorkflowServiceClient workflows;
    private final OutboxWriter outbox;
    private final MarketplaceMetrics metrics;
    private final Trending trending;
    private final ObjectMapper mapper;

    public ItemService(Pool pool, ItemRepository items, WorkflowServiceClient workflows, OutboxWriter outbox,
            MarketplaceMetrics metrics, MarketplaceConfig config, ObjectMapper mapper) {
        this.mapper = mapper;
        this.pool = pool;
        this.items = items;
        this.workflows = workflows;
        this.outbox = outbox;
        this.metrics = metrics;
        this.trending = new Trending(config.trendingHalfLife());
    }

    /** Publishes a new item at version 1.0.0; {@code identity} is the caller's signed identity, forwarded. */
    public Uni<ItemView> publish(CallerIdentity caller, String identity, NewItem request) {
        UUID publisher = UUID.fromString(caller.tenantId());
        return snapshot(identity, request.workflow(), request.workflowVersion(), "version").chain(snapshot -> {
            Instant now = Clock.now();
            String version = Semver.FIRST.toString();
            Item item = new Item(Ids.newUuid(), publisher, request.name(), request.summary(), request.description(),
                    request.categories(), request.tags(), request.license(), snapshot.name(), version, now, now);
            ItemVersion first = new ItemVersion(item.id(), version, snapshot.version(),
                    Snapshots.withoutSecrets(snapshot.definition()).toString(), now, null);
            return pool.withTransaction(tx -> items.insert(tx, item)
                    .chain(() -> items.insertVersion(tx, first))
                    .chain(() -> items.insertStats(tx, item.id(), now))
                    .chain(() -> outbox.append(tx, List.of(new ItemPublished(item.id().toString(),
                            publisher.toString(), item.name(), version, item.workflow(), first.workflowVersion(),
                            now)))))
                    .onFailure(Failures::isUniqueViolation).transform(failure -> new ProblemException(
                            ProblemType.CONFLICT, "this tenant has published an item named '" + item.name()
                                    + "' already; publish a new version of it instead",
                            List.of(new FieldError("name", "an item of this tenant has this name")), Map.of()))
                    .invoke(() -> metrics.operation("publish"))
                    .chain(() -> get(item.id()));
        });
    }

    /**
     * Publishes version {@code workflowVersion} (null: the latest) of the item's workflow as {@code version}, which
     * must be above every version the item has had, yanked ones included (409 otherwise).
     */
    public Uni<ItemView> addVersion(CallerIdentity caller, String identity, UUID itemId, Integer workflowVersion,
            Semver version) {
        return ownItem(caller, itemId)
                .chain(item -> items.versions(pool, itemId).invoke(versions -> requireAbove(versions, version))
                        .chain(() -> snapshot(identity, item.workflow(), workflowVersion, "workflowVersion")))
                .chain(snapshot -> {
                    Instant now = Clock.now();
                    ItemVersion added = new ItemVersion(itemId, version.toString(), snapshot.version(),
                            Snapshots.withoutSecrets(snapshot.definition()).toString(), now, null);
                    return pool.withTransaction(tx -> items.lock(tx, itemId)
                            // Checked again under the item's lock: a concurrent publication may have won.
                            .chain(() -> items.versions(tx, itemId))
                            .invoke(versions -> requireAbove(versions, version))
                            .chain(versions -> {
                                List<ItemVersion> all = new ArrayList<>(versions);
                                all.add(added);
                                return items.insertVersion(tx, added)
                                        .chain(() -> items.updateLatest(tx, itemId,
                                                ItemVersions.latest(all).orElse(null), now));
                            })
                            .chain(() -> outbox.append(tx, List.of(new VersionPublished(itemId.toString(),
                                    caller.tenantId(), added.version(), added.workflowVersion(), now)))))
                            .onFailure(Failures::isUniqueViolation).transform(failure -> versionTaken(version));
                })
                .invoke(() -> metrics.operation("publish"))
                .chain(() -> get(itemId));
    }

    /**
     * Yanks a version: it stays listed (and readable) but is never installed again, and the item's latest version
     * moves to the highest one left; an item with none left is no longer found by search. Yanking a yanked version
     * changes nothing.
     */
    public Uni<VersionView> yank(CallerIdentity caller, UUID itemId, String version) {
        return pool.withTransaction(tx -> items.lock(tx, itemId)
                .map(found -> requireOwn(caller, itemId, found))
                .chain(() -> items.yank(tx, itemId, version, Clock.now()))
                .chain(yanked -> {
                    if (yanked.isEmpty()) {
                        throw noVersion(itemId, version);
                    }
                    return items.versions(tx, itemId)
                            .chain(versions -> items.updateLatest(tx, itemId,
                                    ItemVersions.latest(versions).orElse(null), Clock.now()))
                            .replaceWith(MarketplaceViews.version(yanked.get()));
                }));
    }

    /** Any item, for any tenant: the marketplace is shared. */
    public Uni<ItemView> get(UUID itemId) {
        return items.find(pool, itemId).chain(found -> {
            Item item = found.orElseThrow(() -> noItem(itemId));
            return items.stats(pool, itemId).chain(stats -> items.versions(pool, itemId)
                    .map(versions -> MarketplaceViews.item(item,
                            MarketplaceViews.stats(stats, trending, Clock.now()), versions)));
        });
    }

    /** One version with its snapshot; yanked versions too. */
    public Uni<VersionSnapshotView> version(UUID itemId, String version) {
        return items.version(pool, itemId, version).map(found -> MarketplaceViews.snapshot(
                found.orElseThrow(() -> noVersion(itemId, version)), mapper));
    }

    private Uni<WorkflowSnapshot> snapshot(String identity, String workflow, Integer version, String versionField) {
        return workflows.snapshot(identity, workflow, version).onFailure(WorkflowServiceException.class)
                .transform(failure -> {
                    WorkflowServiceException answer = (WorkflowServiceException) failure;
                    if (answer.kind() == WorkflowServiceException.Kind.NOT_FOUND) {
                        FieldError error = version == null
                                ? new FieldError("workflow", "this tenant has no workflow '" + workflow + "'")
                                : new FieldError(versionField, "workflow '" + workflow + "' of this tenant has no "
                                        + "version " + version);
                        return new ProblemException(ProblemType.UNPROCESSABLE, "nothing to publish: "
                                + error.message(), List.of(error), Map.of());
                    }
                    return new ProblemException(ProblemType.SERVICE_UNAVAILABLE, "the workflow could not be read: "
                            + answer.getMessage() + "; nothing was published, retry");
                });
    }

    private Uni<Item> ownItem(CallerIdentity caller, UUID itemId) {
        return items.find(pool, itemId).map(found -> requireOwn(caller, itemId, found));
    }

    /** The caller's own item; another tenant's is not found, exactly like an unknown one. */
    private static Item requireOwn(CallerIdentity caller, UUID itemId, Optional<Item> found) {
        if (found.isEmpty() || !found.get().publisher().toString().equals(caller.tenantId())) {
            throw noItem(itemId);
        }
        return found.get();
    }

    private static void requireAbove(List<ItemVersion> versions, Semver version) {
        ItemVersions.highest(versions).ifPresent(highest -> {
            if (version.compareTo(highest) <= 0) {
                throw new ProblemException(ProblemType.CONFLICT, "version " + version + " is not above the item's "
                        + "highest version " + highest + " (yanked versions count too)",
                        List.of(new FieldError("version", "must be above " + highest + ", got '" + version + "'")),
                        Map.of());
            }
        });
    }

    private static ProblemException versionTaken(Semver version) {
        return new ProblemException(ProblemType.CONFLICT, "the item has a version " + version + " already",
                List.of(new FieldError("version", "exists already, got '" + version + "'")), Map.of());
    }

    static ProblemException noItem(UUID itemId) {
        return ProblemException.notFound("no marketplace item '" + itemId + "'");
    }

    private static ProblemException noVersion(UUID itemId, String version) {
        return ProblemException.notFound("marketplace item '" + itemId + "' has no version '" + version + "'");
    }
}
