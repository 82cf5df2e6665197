package io.nexus.workflow.client;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.nexus.common.identity.Audiences;
import io.nexus.common.identity.CallerIdentity;
import io.nexus.common.identity.IdentityTokens;
import io.nexus.workflow.config.WorkflowConfig;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;

/**
 * marketplace-service's search and installs for the MCP tools {@code nexus_marketplace_search} and
 * {@code nexus_marketplace_install}, with the caller's own identity
 * (re-signed per attempt: the marketplace answers for that tenant and role as it would through the gateway). Guarded
 * by {@link ServiceCallGuard}, like {@link SessionServiceClient}, so that a marketplace outage fails tool calls at
 * once instead of queueing them.
 */
@ApplicationScoped
public class MarketplaceServiceClient {

    private final MarketplaceServiceApi api;
    private final IdentityTokens tokens;
    private final ServiceCallGuard guard;

    public MarketplaceServiceClient(WorkflowConfig config, IdentityTokens tokens) {
        WorkflowConfig.MarketplaceService settings = config.marketplaceService();
        this.tokens = tokens;
        Duration timeout = settings.timeout();
        this.api = QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(settings.url()))
                .connectTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .build(MarketplaceServiceApi.class);
        this.guard = new ServiceCallGuard("marketplace-service", timeout, settings.maxRetries(),
                MarketplaceServiceException.class, MarketplaceServiceException::isTransient,
                MarketplaceServiceException::isCallersMistake, MarketplaceServiceException::unavailable);
    }

    /** A page of the ranked search ({@code {items, total}}); fails with {@link MarketplaceServiceException}. */
    public Uni<JsonNode> search(CallerIdentity caller, String query, String category, String tag, String sort,
            Integer limit, Integer offset) {
        return guarded(() -> api.search(tokens.sign(caller, Audiences.MARKETPLACE_SERVICE), query, category, tag, sort, limit, offset));
    }

    /**
     * Asks for an install of the item into the caller's tenant ({@code {installId, workflow, status}}). Retrying is
     * safe: asking again for the same item version under the same name answers the same install.
     */
    public Uni<JsonNode> install(CallerIdentity caller, String itemId, JsonNode body) {
        return guarded(() -> api.install(tokens.sign(caller, Audiences.MARKETPLACE_SERVICE), itemId, body));
    }

    /** The caller's tenant's install ({@code {installId, itemId, version, workflow, status, reason, …}}). */
    public Uni<JsonNode> installStatus(CallerIdentity caller, String installId) {
        return guarded(() -> api.installStatus(tokens.sign(caller, Audiences.MARKETPLACE_SERVICE), installId));
    }

    private Uni<JsonNode> guarded(Supplier<Uni<JsonNode>> attempt) {
        return guard.call(attempt);
    }
}
