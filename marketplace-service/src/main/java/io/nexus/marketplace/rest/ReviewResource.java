package io.nexus.marketplace.rest;

import jakarta.validation.Validator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
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
import io.nexus.common.identity.CallerIdentity;
import io.nexus.common.identity.CurrentCaller;
import io.nexus.common.identity.Permission;
import io.nexus.common.validation.StrictRequestBinder;
import io.nexus.marketplace.rest.dto.OffsetPage;
import io.nexus.marketplace.rest.dto.ReviewRequest;
import io.nexus.marketplace.rest.dto.ReviewView;
import io.nexus.marketplace.service.ReviewService;
import io.smallrye.mutiny.Uni;

/** Reviews of an item (docs/api.md §4.6): one per tenant, changed with {@code PUT}; every tenant reads them. */
@Path("/api/v1/marketplace/items/{id}/reviews")
@Produces(MediaType.APPLICATION_JSON)
public class ReviewResource {

    private final ReviewService reviews;
    private final CurrentCaller caller;
    private final StrictRequestBinder binder;
    private final IdempotentCreation idempotency;

    public ReviewResource(ReviewService reviews, CurrentCaller caller, ObjectMapper mapper, Validator validator,
            IdempotentCreation idempotency) {
        this.reviews = reviews;
        this.caller = caller;
        this.binder = new StrictRequestBinder(mapper, validator);
        this.idempotency = idempotency;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Review an item {rating: 1..5, comment?}; one per tenant (409 for a second)")
    public Uni<Response> create(@PathParam("id") String id,
            @HeaderParam(IdempotentCreation.HEADER) String idempotencyKey, byte[] body) {
        CallerIdentity reviewer = caller.require(Permission.WRITE);
        caller.tenantId();
        var itemId = MarketplaceRequests.itemId(id);
        ReviewRequest request = binder.bind(body, ReviewRequest.class, ReviewRequest.class);
        String route = "/api/v1/marketplace/items/" + itemId + "/reviews";
        return idempotency.run(IdempotencyScope.post(reviewer, route), idempotencyKey, body,
                () -> reviews.create(reviewer, itemId, request.rating(), request.comment())
                        .map(review -> Response.status(Response.Status.CREATED).header("Location", route)
                                .entity(review).build()));
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change the tenant's own review of an item")
    public Uni<ReviewView> update(@PathParam("id") String id, byte[] body) {
        CallerIdentity reviewer = caller.require(Permission.WRITE);
        caller.tenantId();
        var itemId = MarketplaceRequests.itemId(id);
        ReviewRequest request = binder.bind(body, ReviewRequest.class, ReviewRequest.class);
        return reviews.update(reviewer, itemId, request.rating(), request.comment());
    }

    @GET
    @Operation(summary = "An item's reviews, newest first: {items, total}")
    public Uni<OffsetPage<ReviewView>> list(@PathParam("id") String id, @QueryParam("limit") String limit,
            @QueryParam("offset") String offset) {
        caller.require(Permission.READ);
        caller.tenantId();
        var itemId = MarketplaceRequests.itemId(id);
        int[] page = MarketplaceRequests.page(limit, offset);
        return reviews.list(itemId, page[0], page[1]);
    }
}
