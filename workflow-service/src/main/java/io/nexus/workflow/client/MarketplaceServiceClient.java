package io.nexus.workflow.client;

import java.net.URI;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;

import io.nexus.common.identity.CallerIdentity;
import io.nexus.common.identity.IdentityTokens;
import io.nexus.workflow.config.WorkflowConfig;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;

/**
 * marketplace-service's search and installs for the MCP tools {@code nexus_marketplace_search} and
 * {@code nexus_marketplace_install}, with the caller's own identity
 * (re-signed per attempt: the marketplace answers for that tenant and role as it would through the gateway). Guarded
 * like {@link SessionServiceClient}: a timeout per attempt, retries of what may pass (timeouts, connection failures,
 * 5xx), and a circuit breaker, so that a marketplace outage fails tool calls at once instead of queueing them.
 */
@ApplicationScoped
public class MarketplaceServiceClient {

    private static final int BREAKER_WINDOW = 10;
    private static final double BREAKER_FAILURE_RATIO = 0.5;
    private static final Duration BREAKER_PAUSE = Duration.ofSeconds(5);
    private static final Duration RETRY_DELAY = Duration.ofMillis(100);
    private static final Duration RETRY_JITTER = Duration.ofMillis(50);

    private final MarketplaceServiceApi api;
    private final IdentityTokens tokens;
    private final Duration timeout;
    private final TypedGuard<Uni<JsonNode>> guard;

    public MarketplaceServiceClient(WorkflowConfig config, IdentityTokens tokens) {
        WorkflowConfig.MarketplaceService settings = config.marketplaceService();
        this.tokens = tokens;
        this.timeout = settings.timeout();
        this.api = QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(settings.url()))
                .connectTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .build(MarketplaceServiceApi.class);
        this.guard = TypedGuard.create(new TypeLiteral<Uni<JsonNode>>() {
                })
                .withTimeout().duration(timeout.toMillis(), ChronoUnit.MILLIS).done()
                .withRetry().maxRetries(settings.maxRetries())
                .delay(RETRY_DELAY.toMillis(), ChronoUnit.MILLIS).jitter(RETRY_JITTER.toMillis(), ChronoUnit.MILLIS)
                .whenException(MarketplaceServiceClient::worthRetrying).done()
                .withCircuitBreaker().requestVolumeThreshold(BREAKER_WINDOW).failureRatio(BREAKER_FAILURE_RATIO)
                .delay(BREAKER_PAUSE.toMillis(), ChronoUnit.MILLIS)
                .when(failure -> !(failure instanceof MarketplaceServiceException answer
                        && answer.isCallersMistake()))
                .done()
                .withThreadOffload(false)
                .build();
    }

    /** A page of the ranked search ({@code {items, total}}); fails with {@link MarketplaceServiceException}. */
    public Uni<JsonNode> search(CallerIdentity caller, String query, String category, String tag, String sort,
            Integer limit, Integer offset) {
        return guarded(() -> api.search(tokens.sign(caller), query, category, tag, sort, limit, offset));
    }

    /**
     * Asks for an install of the item into the caller's tenant ({@code {installId, workflow, status}}). Retrying is
     * safe: asking again for the same item version under the same name answers the same install.
     */
    public Uni<JsonNode> install(CallerIdentity caller, String itemId, JsonNode body) {
        return guarded(() -> api.install(tokens.sign(caller), itemId, body));
    }

    /** The caller's tenant's install ({@code {installId, itemId, version, workflow, status, reason, …}}). */
    public Uni<JsonNode> installStatus(CallerIdentity caller, String installId) {
        return guarded(() -> api.installStatus(tokens.sign(caller), installId));
    }

    private Uni<JsonNode> guarded(Supplier<Uni<JsonNode>> attempt) {
        return guard.get(attempt).onFailure().transform(this::explained);
    }

    private static boolean worthRetrying(Throwable failure) {
        if (failure instanceof MarketplaceServiceException answer) {
            return answer.isTransient();
        }
        return !(failure instanceof CircuitBreakerOpenException);
    }

    private Throwable explained(Throwable failure) {
        if (failure instanceof MarketplaceServiceException) {
            return failure;
        }
        if (failure instanceof TimeoutException) {
            return MarketplaceServiceException.unavailable("marketplace-service did not answer within "
                    + timeout.toMillis() + " ms");
        }
        if (failure instanceof CircuitBreakerOpenException) {
            return MarketplaceServiceException.unavailable("marketplace-service failed repeatedly; calls to it are "
                    + "paused for " + BREAKER_PAUSE.toSeconds() + " s");
        }
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return MarketplaceServiceException.unavailable("marketplace-service could not be reached ("
                + cause.getClass().getSimpleName() + ")");
    }
}
