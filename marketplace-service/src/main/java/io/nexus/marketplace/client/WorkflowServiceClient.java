package io.nexus.marketplace.client;

import java.net.URI;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.nexus.marketplace.config.MarketplaceConfig;
import io.nexus.marketplace.domain.WorkflowSnapshot;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;

/**
 * workflow-service as publishing uses it: a version of one of the publisher's workflows, whole. The call carries the
 * publisher's own identity (the {@code X-Nexus-Identity} the gateway signed for this request), so workflow-service
 * answers for that tenant's workflows only. Guarded like workflow-service's own client of session-service: a timeout
 * per attempt, retries of what may pass (timeouts, connection failures, 5xx) and a circuit breaker that fails calls at
 * once while workflow-service keeps failing. A 404 is an answer about the workflow: neither retried nor held against
 * workflow-service.
 *
 * <p>Why the Quarkus REST client with a programmatic SmallRye Fault Tolerance guard: the target is fixed and trusted,
 * a JAX-RS interface says all there is to say, and the guard is built from typed configuration
 * ({@link MarketplaceConfig}), which the annotations could only read as constants. Non-blocking throughout.
 */
@ApplicationScoped
public class WorkflowServiceClient {

    /** The breaker opens when half of the last 10 calls failed, and lets one call try again after 5 s. */
    private static final int BREAKER_WINDOW = 10;
    private static final double BREAKER_FAILURE_RATIO = 0.5;
    private static final Duration BREAKER_PAUSE = Duration.ofSeconds(5);
    /** Pause between attempts, with jitter. */
    private static final Duration RETRY_DELAY = Duration.ofMillis(100);
    private static final Duration RETRY_JITTER = Duration.ofMillis(50);
    private static final String LATEST = "latest";

    private final WorkflowServiceApi api;
    private final Duration timeout;
    private final TypedGuard<Uni<JsonNode>> guard;

    public WorkflowServiceClient(MarketplaceConfig config) {
        MarketplaceConfig.WorkflowService settings = config.workflowService();
        this.timeout = settings.timeout();
        this.api = QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(settings.url()))
                .connectTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                // The guard's timeout fails the attempt; this one also frees the connection of a call that hangs.
                .readTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .build(WorkflowServiceApi.class);
        this.guard = TypedGuard.create(new TypeLiteral<Uni<JsonNode>>() {
                })
                .withTimeout().duration(timeout.toMillis(), ChronoUnit.MILLIS).done()
                .withRetry().maxRetries(settings.maxRetries())
                .delay(RETRY_DELAY.toMillis(), ChronoUnit.MILLIS).jitter(RETRY_JITTER.toMillis(), ChronoUnit.MILLIS)
                .whenException(WorkflowServiceClient::worthRetrying).done()
                .withCircuitBreaker().requestVolumeThreshold(BREAKER_WINDOW).failureRatio(BREAKER_FAILURE_RATIO)
                .delay(BREAKER_PAUSE.toMillis(), ChronoUnit.MILLIS)
                .when(failure -> !(failure instanceof WorkflowServiceException answer && answer.isAboutTheWorkflow()))
                .done()
                .withThreadOffload(false)
                .build();
    }

    /**
     * Version {@code version} (null: the latest) of the caller's workflow {@code name}, asked with the caller's own
     * signed identity; fails with {@link WorkflowServiceException}.
     */
    public Uni<WorkflowSnapshot> snapshot(String identity, String name, Integer version) {
        String path = version == null ? LATEST : Integer.toString(version);
        return guard.get(() -> api.version(name, path, identity))
                .onFailure().transform(this::explained)
                .map(WorkflowServiceClient::snapshotOf);
    }

    private static boolean worthRetrying(Throwable failure) {
        if (failure instanceof WorkflowServiceException answer) {
            return answer.isTransient();
        }
        return !(failure instanceof CircuitBreakerOpenException);
    }

    private Throwable explained(Throwable failure) {
        if (failure instanceof WorkflowServiceException) {
            return failure;
        }
        if (failure instanceof TimeoutException) {
            return WorkflowServiceException.unavailable("workflow-service did not answer within "
                    + timeout.toMillis() + " ms");
        }
        if (failure instanceof CircuitBreakerOpenException) {
            return WorkflowServiceException.unavailable("workflow-service failed repeatedly; calls to it are paused "
                    + "for " + BREAKER_PAUSE.toSeconds() + " s");
        }
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        // The class only: messages of connection failures name internal addresses.
        return WorkflowServiceException.unavailable("workflow-service could not be reached ("
                + cause.getClass().getSimpleName() + ")");
    }

    private static WorkflowSnapshot snapshotOf(JsonNode answer) {
        JsonNode definition = answer == null ? null : answer.get("definition");
        if (definition == null || !definition.isObject() || !answer.path("name").isTextual()
                || !answer.path("version").canConvertToInt()) {
            throw WorkflowServiceException.unavailable("workflow-service answered without a definition");
        }
        return new WorkflowSnapshot(answer.get("name").asText(), answer.get("version").asInt(),
                (ObjectNode) definition);
    }
}
