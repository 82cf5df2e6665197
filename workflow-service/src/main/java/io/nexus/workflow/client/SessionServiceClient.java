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
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.nexus.common.http.Channel;
import io.nexus.common.identity.CallerIdentity;
import io.nexus.common.identity.IdentityTokens;
import io.nexus.common.identity.Role;
import io.nexus.workflow.config.WorkflowConfig;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;

/**
 * session-service as the engine uses it (docs/api.md §5): read a session's data, merge a patch into it. Every call
 * carries a service identity for the execution's tenant, channel and session, and is guarded: a timeout per
 * attempt, retries of what may pass (timeouts, connection failures, 5xx), and a circuit breaker that fails calls at
 * once while session-service keeps failing, so that executions do not queue behind a service that is down. Answers
 * about the session itself (404, 413) are neither retried nor held against session-service.
 *
 * <p>Why the Quarkus REST client with a programmatic SmallRye Fault Tolerance guard: session-service is a fixed,
 * trusted internal target, so none of the SSRF rules of the {@code http} nodes' client apply and a JAX-RS interface
 * says all there is to say; the guard is built from {@link WorkflowConfig} (typed, set per environment), which the
 * {@code @Timeout}/{@code @Retry} annotations could only read as constants or untyped properties. Both are
 * non-blocking: a call returns a {@link Uni} and never holds a thread, on the event loop or elsewhere.
 */
@ApplicationScoped
public class SessionServiceClient {

    /** The breaker opens when half of the last 10 calls failed, and lets one call try again after 5 s. */
    private static final int BREAKER_WINDOW = 10;
    private static final double BREAKER_FAILURE_RATIO = 0.5;
    private static final Duration BREAKER_PAUSE = Duration.ofSeconds(5);
    /** Pause between attempts, with jitter so that many executions do not retry in step. */
    private static final Duration RETRY_DELAY = Duration.ofMillis(100);
    private static final Duration RETRY_JITTER = Duration.ofMillis(50);

    private final SessionServiceApi api;
    private final IdentityTokens tokens;
    private final Duration timeout;
    private final TypedGuard<Uni<JsonNode>> guard;

    public SessionServiceClient(WorkflowConfig config, IdentityTokens tokens) {
        WorkflowConfig.SessionService settings = config.sessionService();
        this.tokens = tokens;
        this.timeout = settings.timeout();
        this.api = QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(settings.url()))
                .connectTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                // The guard's timeout fails the attempt; this one also frees the connection of a call that hangs.
                .readTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .build(SessionServiceApi.class);
        this.guard = TypedGuard.create(new TypeLiteral<Uni<JsonNode>>() {
                })
                .withTimeout().duration(timeout.toMillis(), ChronoUnit.MILLIS).done()
                .withRetry().maxRetries(settings.maxRetries())
                .delay(RETRY_DELAY.toMillis(), ChronoUnit.MILLIS).jitter(RETRY_JITTER.toMillis(), ChronoUnit.MILLIS)
                .whenException(SessionServiceClient::worthRetrying).done()
                .withCircuitBreaker().requestVolumeThreshold(BREAKER_WINDOW).failureRatio(BREAKER_FAILURE_RATIO)
                .delay(BREAKER_PAUSE.toMillis(), ChronoUnit.MILLIS)
                .when(failure -> !(failure instanceof SessionServiceException answer && answer.isAboutTheSession()))
                .done()
                // The calls are non-blocking: each attempt starts on the caller's thread.
                .withThreadOffload(false)
                .build();
    }

    /** The session's {@code data}; fails with {@link SessionServiceException}. */
    public Uni<JsonNode> data(SessionCaller caller) {
        return guarded(() -> api.read(caller.sessionId(), identity(caller)));
    }

    /**
     * Merges {@code patch} (RFC 7386: a null member deletes the key) into the session's data and answers the data
     * after the merge; fails with {@link SessionServiceException}. Applying a merge patch twice gives the data it gave
     * once, so an attempt repeated after a timeout does no harm.
     */
    public Uni<JsonNode> merge(SessionCaller caller, ObjectNode patch) {
        return guarded(() -> api.merge(caller.sessionId(), identity(caller), patch));
    }

    /**
     * The whole session ({@code {id, userId, channels, data, createdAt, lastActivity, expiresAt}}), as a use on the
     * caller's channel; fails with {@link SessionServiceException}.
     */
    public Uni<JsonNode> session(SessionCaller caller) {
        return guard.get(() -> api.read(caller.sessionId(), identity(caller))).onFailure().transform(this::explained);
    }

    /** Like {@link #merge}, answering the whole session after the merge. */
    public Uni<JsonNode> mergeIntoSession(SessionCaller caller, ObjectNode patch) {
        return guard.get(() -> api.merge(caller.sessionId(), identity(caller), patch))
                .onFailure().transform(this::explained);
    }

    /** Signed per attempt: a retry after a slow attempt still carries a fresh identity. */
    private String identity(SessionCaller caller) {
        return tokens.sign(new CallerIdentity(caller.tenantId(), Role.SERVICE, null,
                Channel.parseOrDefault(caller.channel()), caller.sessionId(), caller.requestId()));
    }

    private Uni<JsonNode> guarded(Supplier<Uni<JsonNode>> attempt) {
        return guard.get(attempt)
                .onFailure().transform(this::explained)
                .map(SessionServiceClient::dataOf);
    }

    private static boolean worthRetrying(Throwable failure) {
        if (failure instanceof SessionServiceException answer) {
            return answer.isTransient();
        }
        // An open circuit fails fast on purpose; anything else (timeout, connection) may pass next time.
        return !(failure instanceof CircuitBreakerOpenException);
    }

    private Throwable explained(Throwable failure) {
        if (failure instanceof SessionServiceException) {
            return failure;
        }
        if (failure instanceof TimeoutException) {
            return SessionServiceException.unavailable("session-service did not answer within " + timeout.toMillis()
                    + " ms");
        }
        if (failure instanceof CircuitBreakerOpenException) {
            return SessionServiceException.unavailable("session-service failed repeatedly; calls to it are paused for "
                    + BREAKER_PAUSE.toSeconds() + " s");
        }
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        // The class only: messages of connection failures name internal addresses, and this one is kept with the step.
        return SessionServiceException.unavailable("session-service could not be reached ("
                + cause.getClass().getSimpleName() + ")");
    }

    private static JsonNode dataOf(JsonNode session) {
        JsonNode data = session == null ? null : session.get("data");
        if (data == null || !data.isObject()) {
            throw SessionServiceException.unavailable("session-service answered without the session's data");
        }
        return data;
    }
}
