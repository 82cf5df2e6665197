package io.nexus.marketplace.rest;

import java.util.UUID;

import jakarta.validation.Validator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.nexus.common.idempotency.IdempotencyScope;
import io.nexus.common.idempotency.IdempotentCreation;
import io.nexus.common.identity.Audiences;
import io.nexus.common.identity.CallerIdentity;
import io.nexus.common.identity.CurrentCaller;
import io.nexus.common.identity.IdentityTokens;
import io.nexus.common.identity.Permission;
import io.nexus.common.validation.StrictRequestBinder;
import io.nexus.marketplace.config.MarketplaceConfig;
import io.nexus.marketplace.domain.Semver;
import io.nexus.marketplace.rest.dto.ItemSummaryView;
import io.nexus.marketplace.rest.dto.ItemView;
import io.nexus.marketplace.rest.dto.OffsetPage;
import io.nexus.marketplace.rest.dto.PublishVersionRequest;
import io.nexus.marketplace.rest.dto.VersionSnapshotView;
import io.nexus.marketplace.rest.dto.VersionView;
import io.nexus.marketplace.service.ItemService;
import io.nexus.marketplace.service.SearchService;
import io.smallrye.mutiny.Uni;

/**
 * Marketplace items (docs/api.md §4.6): every tenant reads and searches all of them; the publisher's developers and
 * admins publish, add versions and yank. Installing: {@link ItemInstallResource}, {@link InstallResource}.
 */
@Path("/api/v1/marketplace/items")
@Produces(MediaType.APPLICATION_JSON)
public class ItemResource {

    private static final String ITEMS = "/api/v1/marketplace/items/";

    private final ItemService items;
    private final SearchService search;
    private final CurrentCaller caller;
    private final StrictRequestBinder binder;
    private final MarketplaceConfig config;
    private final IdentityTokens tokens;
    private final IdempotentCreation idempotency;

    public ItemResource(ItemService items, SearchService search, CurrentCaller caller, ObjectMapper mapper,
            Validator validator, MarketplaceConfig config, IdentityTokens tokens, IdempotentCreation idempotency) {
        this.tokens = tokens;
        this.items = items;
        this.search = search;
        this.caller = caller;
        this.binder = new StrictRequestBinder(mapper, validator);
        this.config = config;
        this.idempotency = idempotency;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Publish a version of one of the tenant's workflows as a new item, at version 1.0.0")
    public Uni<Response> publish(@HeaderParam(IdempotentCreation.HEADER) String idempotencyKey, byte[] body) {
        CallerIdentity publisher = caller.require(Permission.WRITE);
        caller.tenantId();
        String identity = forWorkflowService(publisher);
        var request = MarketplaceRequests.publish(binder, body, config.categories());
        return idempotency.run(IdempotencyScope.post(publisher, "/api/v1/marketplace/items"), idempotencyKey, body,
                () -> items.publish(publisher, identity, request)
                        .map(item -> Response.status(Response.Status.CREATED).header("Location", ITEMS + item.id())
                                .entity(item).build()));
    }

    @GET
    @Operation(summary = "Search items: ranked full-text (q) with a typo fallback, filters, orders; {items, total}")
    public Uni<OffsetPage<ItemSummaryView>> search(@QueryParam("q") String q, @QueryParam("category") String category,
            @QueryParam("tag") String tag, @QueryParam("license") String license,
            @QueryParam("minRating") String minRating, @QueryParam("publisher") String publisher,
            @QueryParam("sort") String sort, @QueryParam("limit") String limit, @QueryParam("offset") String offset) {
        caller.require(Permission.READ);
        caller.tenantId();
        return search.search(MarketplaceRequests.search(q, category, tag, license, minRating, publisher, sort, limit,
                offset, config.categories()));
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Read an item with its versions and numbers")
    public Uni<ItemView> get(@PathParam("id") String id) {
        caller.require(Permission.READ);
        caller.tenantId();
        return items.get(MarketplaceRequests.itemId(id));
    }

    @POST
    @Path("{id}/versions")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Publish a new version of the tenant's item (semver, above every version it had)")
    public Uni<Response> addVersion(@PathParam("id") String id,
            @HeaderParam(IdempotentCreation.HEADER) String idempotencyKey, byte[] body) {
        CallerIdentity publisher = caller.require(Permission.WRITE);
        caller.tenantId();
        String identity = forWorkflowService(publisher);
        UUID itemId = MarketplaceRequests.itemId(id);
        PublishVersionRequest request = MarketplaceRequests.version(binder, body);
        Semver version = Semver.parse(request.version()).orElseThrow();
        return idempotency.run(IdempotencyScope.post(publisher, ITEMS + itemId + "/versions"), idempotencyKey, body,
                () -> items.addVersion(publisher, identity, itemId, request.workflowVersion(), version)
                        .map(item -> Response.status(Response.Status.CREATED)
                                .header("Location", ITEMS + itemId + "/versions/" + version).entity(item).build()));
    }

    @GET
    @Path("{id}/versions/{version}")
    @Operation(summary = "Read one version of an item with the definition it snapshots")
    public Uni<VersionSnapshotView> version(@PathParam("id") String id, @PathParam("version") String version) {
        caller.require(Permission.READ);
        caller.tenantId();
        return items.version(MarketplaceRequests.itemId(id), version);
    }

    @POST
    @Path("{id}/versions/{version}/yank")
    @Operation(summary = "Yank a version of the tenant's item: listed, never installed again")
    public Uni<VersionView> yank(@PathParam("id") String id, @PathParam("version") String version) {
        CallerIdentity publisher = caller.require(Permission.WRITE);
        caller.tenantId();
        return items.yank(publisher, MarketplaceRequests.itemId(id), version);
    }

    /**
     * The publisher's own identity, signed anew for workflow-service: the token this request came with is addressed to
     * marketplace-service, and workflow-service accepts only its own (docs/api.md §2.9).
     */
    private String forWorkflowService(CallerIdentity publisher) {
        return tokens.sign(publisher, Audiences.WORKFLOW_SERVICE);
    }
}
