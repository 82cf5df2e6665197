package io.nexus.marketplace.service;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.nexus.common.identity.CallerIdentity;
import io.nexus.common.ids.Ids;
import io.nexus.common.outbox.OutboxWriter;
import io.nexus.common.problem.FieldError;
import io.nexus.common.problem.ProblemException;
import io.nexus.common.problem.ProblemType;
import io.nexus.events.NexusEvent;
import io.nexus.events.marketplace.ItemInstalled;
import io.nexus.events.workflow.WorkflowInstallFailed;
import io.nexus.events.workflow.WorkflowInstalled;
import io.nexus.marketplace.config.MarketplaceConfig;
import io.nexus.marketplace.domain.Install;
import io.nexus.marketplace.domain.Item;
import io.nexus.marketplace.domain.ItemVersion;
import io.nexus.marketplace.domain.Trending;
import io.nexus.marketplace.metrics.MarketplaceMetrics;
import io.nexus.marketplace.repository.InstallRepository;
import io.nexus.marketplace.repository.ItemRepository;
import io.nexus.marketplace.rest.dto.InstallAcceptedView;
import io.nexus.marketplace.rest.dto.InstallView;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Installs (docs/api.md §4.6). Asking for one stores a pending install and {@code nexus.marketplace.installed} (with
 * the version's definition) in one transaction; workflow-service creates the workflow in the installer's tenant and
 * answers on {@code nexus.workflows}, which settles the install ({@link #applyAnswer}). Asking again for the same
 * item version under the same name while an install of it is pending or completed answers that install and sends
 * nothing. A completed install counts once in the item's installs and trending (weight 1), and makes the installer's
 * review of the item verified.
 */
@ApplicationScoped
public class InstallService {

    private static final Logger LOG = Logger.getLogger(InstallService.class);

    private final Pool pool;
    private final ItemRepository items;
    private final InstallRepository installs;
    private final OutboxWriter outbox;
    private final MarketplaceMetrics metrics;
    private final Trending trending;
    private final ObjectMapper mapper;

    public InstallService(Pool pool, ItemRepository items, InstallRepository installs, OutboxWriter outbox,
            MarketplaceMetrics metrics, MarketplaceConfig config, ObjectMapper mapper) {
        this.pool = pool;
        this.items = items;
        this.installs = installs;
        this.outbox = outbox;
        this.metrics = metrics;
        this.trending = new Trending(config.trendingHalfLife());
        this.mapper = mapper;
    }

    /**
     * Installs {@code version} (null: the item's latest installable version) of the item into the caller's tenant
     * as {@code as} (null: the item's workflow name); an unknown or yanked version is 422 naming {@code version}.
     */
    public Uni<InstallAcceptedView> install(CallerIdentity caller, UUID itemId, String as, String version) {
        UUID installer = UUID.fromString(caller.tenantId());
        Instant now = Clock.now();
        return pool.withTransaction(tx -> items.share(tx, itemId)
                .map(found -> found.orElseThrow(() -> ItemService.noItem(itemId)))
                .chain(item -> installable(tx, item, version).chain(chosen -> {
                    String workflow = as != null ? as : item.workflow();
                    Install install = new Install(Ids.newUuid(), itemId, chosen.version(), installer, workflow,
                            Install.Status.PENDING, null, now, now);
                    return installs.insertUnlessLive(tx, install).chain(inserted -> inserted
                            ? outbox.append(tx, List.of(new ItemInstalled(itemId.toString(),
                                    install.id().toString(), installer.toString(), chosen.version(), workflow,
                                    definition(chosen), now)))
                                    .invoke(() -> metrics.operation("install"))
                                    .replaceWith(install)
                            : installs.findLive(tx, installer, itemId, chosen.version(), workflow)
                                    .map(Optional::orElseThrow));
                })))
                .map(install -> new InstallAcceptedView(install.id().toString(), install.workflow(),
                        install.status().wire()));
    }

    /** The caller's tenant's install; another tenant's is not found, like an unknown one. */
    public Uni<InstallView> get(CallerIdentity caller, UUID installId) {
        return installs.find(pool, installId).map(found -> found
                .filter(install -> install.installer().toString().equals(caller.tenantId()))
                .map(install -> new InstallView(install.id().toString(), install.itemId().toString(),
                        install.version(), install.workflow(), install.status().wire(), install.reason(),
                        install.createdAt(), install.updatedAt()))
                .orElseThrow(() -> ProblemException.notFound("no install '" + installId + "'")));
    }

    /**
     * Applies workflow-service's answer to an install of this service, inside the consumer's transaction: a pending
     * install becomes completed or failed; a settled or unknown install and every other event change nothing.
     */
    public Uni<Void> applyAnswer(SqlConnection tx, NexusEvent<?> event) {
        Instant now = Clock.now();
        if (event.data() instanceof WorkflowInstalled installed) {
            Optional<UUID[]> ids = ids(installed.installId(), installed.tenantId());
            if (ids.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            return installs.settle(tx, ids.get()[0], ids.get()[1], Install.Status.COMPLETED, null, now)
                    .chain(settled -> {
                        if (settled.isEmpty()) {
                            return Uni.createFrom().voidItem();
                        }
                        Install install = settled.get();
                        LOG.infof("Install %s of item %s %s into tenant %s as '%s' completed", install.id(),
                                install.itemId(), install.version(), install.installer(), install.workflow());
                        // The statistics row first: a review of the item written at the same time waits for it (or
                        // this waits for the review), so the review is verified either way.
                        return installs.countInstall(tx, install.itemId(), trending.contribution(1, now), now)
                                .chain(() -> installs.verifyReview(tx, install.itemId(), install.installer()));
                    });
        }
        if (event.data() instanceof WorkflowInstallFailed failed) {
            Optional<UUID[]> ids = ids(failed.installId(), failed.tenantId());
            if (ids.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            String reason = failed.reason() == null || failed.reason().isBlank() ? "the install failed"
                    : failed.reason();
            return installs.settle(tx, ids.get()[0], ids.get()[1], Install.Status.FAILED, reason, now)
                    .invoke(settled -> settled.ifPresent(install -> LOG.infof(
                            "Install %s of item %s %s into tenant %s as '%s' failed: %s", install.id(),
                            install.itemId(), install.version(), install.installer(), install.workflow(), reason)))
                    .replaceWithVoid();
        }
        return Uni.createFrom().voidItem();
    }

    /** The version to install, with its definition. */
    private Uni<ItemVersion> installable(SqlConnection tx, Item item, String version) {
        String wanted = version != null ? version : item.latestVersion();
        if (wanted == null) {
            throw unprocessable("version", "the item has no installable version: every version is yanked");
        }
        return items.version(tx, item.id(), wanted).map(found -> {
            if (found.isEmpty()) {
                throw unprocessable("version", "the item has no version '" + wanted + "'");
            }
            if (found.get().yanked()) {
                throw unprocessable("version", "version " + wanted + " is yanked and is never installed");
            }
            return found.get();
        });
    }

    private JsonNode definition(ItemVersion version) {
        try {
            return mapper.readTree(version.definition());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored snapshot is always JSON", e);
        }
    }

    /** The install id and the tenant of an answer; empty when either is not a UUID (not an install of ours). */
    private static Optional<UUID[]> ids(String installId, String tenantId) {
        try {
            return installId == null || tenantId == null ? Optional.empty()
                    : Optional.of(new UUID[] { UUID.fromString(installId), UUID.fromString(tenantId) });
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static ProblemException unprocessable(String field, String message) {
        return new ProblemException(ProblemType.UNPROCESSABLE, "nothing to install: " + message,
                List.of(new FieldError(field, message)), Map.of());
    }
}
