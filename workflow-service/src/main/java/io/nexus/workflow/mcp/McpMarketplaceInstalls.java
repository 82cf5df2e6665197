package io.nexus.workflow.mcp;

import java.time.Duration;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.modelcontextprotocol.spec.McpSchema;
import io.nexus.workflow.client.MarketplaceServiceClient;
import io.nexus.workflow.client.MarketplaceServiceException;
import io.smallrye.mutiny.Uni;

/**
 * The MCP tool {@code nexus_marketplace_install}: asks marketplace-service for an install into the caller's tenant
 * (as {@code POST /api/v1/marketplace/items/{id}/install} would), then follows the install until workflow-service has
 * settled it, for at most {@link #WAIT}: an agent usually gets {@code completed} (and then the new workflow's tool
 * through {@code notifications/tools/list_changed}) or {@code failed} with the reason in one call. An install still
 * pending after that is answered as it stands; calling the tool again with the same arguments answers the same
 * install.
 */
@ApplicationScoped
class McpMarketplaceInstalls {

    /** How long a call follows a pending install: installs usually settle within a second or two. */
    static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration POLL = Duration.ofMillis(200);

    private final MarketplaceServiceClient marketplace;
    private final McpViews views;

    McpMarketplaceInstalls(MarketplaceServiceClient marketplace, McpViews views) {
        this.marketplace = marketplace;
        this.views = views;
    }

    /** The install's view when it settled or the wait ended; {@code failed} is an error result with its reason. */
    Uni<McpSchema.CallToolResult> install(McpCaller caller, String itemId, String as, String version) {
        ObjectNode body = views.asJson(Map.of()).deepCopy();
        if (as != null) {
            body.put("as", as);
        }
        if (version != null) {
            body.put("version", version);
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        return marketplace.install(caller.identity(), itemId, body)
                .chain(accepted -> follow(caller, accepted.path("installId").asText(), deadline))
                .map(view -> "failed".equals(view.path("status").asText()) ? views.failedResult(view)
                        : views.result(view))
                .onFailure(MarketplaceServiceException.class).recoverWithUni(failure -> McpErrors.marketplaceFailure(
                        (MarketplaceServiceException) failure, "install",
                        "retry shortly: asking again answers the same install"));
    }

    private Uni<JsonNode> follow(McpCaller caller, String installId, long deadline) {
        return marketplace.installStatus(caller.identity(), installId).chain(view -> {
            if (!"pending".equals(view.path("status").asText()) || System.nanoTime() + POLL.toNanos() > deadline) {
                return Uni.createFrom().item(view);
            }
            return Uni.createFrom().voidItem().onItem().delayIt().by(POLL)
                    .chain(() -> follow(caller, installId, deadline));
        });
    }
}
