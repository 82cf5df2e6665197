package io.nexus.workflow.client;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import jakarta.enterprise.util.TypeLiteral;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;

/**
 * The guard around every call this service makes to another Nexus service (session-service, marketplace-service): a
 * timeout per attempt, retries of what may pass (timeouts, connection failures, and the answers the client calls
 * transient), and a circuit breaker that fails calls at once while the service keeps failing, so that callers do not
 * queue behind a service that is down. Answers about the caller's input are neither retried nor held against the
 * service. Every failure reaches the caller as the client's own exception, saying in words what happened.
 *
 * <p>Why a programmatic SmallRye Fault Tolerance guard rather than {@code @Timeout}/{@code @Retry}: its values come
 * from {@link io.nexus.workflow.config.WorkflowConfig} (typed, set per environment), which the annotations could only
 * read as constants or untyped properties. Non-blocking: each attempt starts on the caller's thread.
 */
final class ServiceCallGuard {

    /** The breaker opens when half of the last 10 calls failed, and lets one call try again after 5 s. */
    static final int BREAKER_WINDOW = 10;
    static final double BREAKER_FAILURE_RATIO = 0.5;
    static final Duration BREAKER_PAUSE = Duration.ofSeconds(5);
    /** Pause between attempts, with jitter so that many callers do not retry in step. */
    static final Duration RETRY_DELAY = Duration.ofMillis(100);
    static final Duration RETRY_JITTER = Duration.ofMillis(50);

    private final String service;
    private final Duration timeout;
    private final Class<? extends RuntimeException> answers;
    private final Function<String, RuntimeException> unavailable;
    private final TypedGuard<Uni<JsonNode>> guard;

    /**
     * @param service the service's name, as failures say it
     * @param answers the client's exception for what the service answered (passed through as it is)
     * @param transientAnswer whether such an answer may pass on a retry (a 5xx)
     * @param callersMistake whether such an answer is about the caller's input (not held against the service)
     * @param unavailable the client's exception for "the service cannot be used now", from a message
     */
    <E extends RuntimeException> ServiceCallGuard(String service, Duration timeout, int maxRetries, Class<E> answers,
            Predicate<E> transientAnswer, Predicate<E> callersMistake, Function<String, RuntimeException> unavailable) {
        this.service = service;
        this.timeout = timeout;
        this.answers = answers;
        this.unavailable = unavailable;
        this.guard = TypedGuard.create(new TypeLiteral<Uni<JsonNode>>() {
                })
                .withTimeout().duration(timeout.toMillis(), ChronoUnit.MILLIS).done()
                .withRetry().maxRetries(maxRetries)
                .delay(RETRY_DELAY.toMillis(), ChronoUnit.MILLIS).jitter(RETRY_JITTER.toMillis(), ChronoUnit.MILLIS)
                // An open circuit fails fast on purpose; a timeout or a connection failure may pass next time.
                .whenException(failure -> answers.isInstance(failure) ? transientAnswer.test(answers.cast(failure))
                        : !(failure instanceof CircuitBreakerOpenException))
                .done()
                .withCircuitBreaker().requestVolumeThreshold(BREAKER_WINDOW).failureRatio(BREAKER_FAILURE_RATIO)
                .delay(BREAKER_PAUSE.toMillis(), ChronoUnit.MILLIS)
                .when(failure -> !(answers.isInstance(failure) && callersMistake.test(answers.cast(failure))))
                .done()
                .withThreadOffload(false)
                .build();
    }

    /** The attempt, guarded; any failure becomes the client's exception. */
    Uni<JsonNode> call(Supplier<Uni<JsonNode>> attempt) {
        return guard.get(attempt).onFailure().transform(this::explained);
    }

    private Throwable explained(Throwable failure) {
        if (answers.isInstance(failure)) {
            return failure;
        }
        if (failure instanceof TimeoutException) {
            return unavailable.apply(service + " did not answer within " + timeout.toMillis() + " ms");
        }
        if (failure instanceof CircuitBreakerOpenException) {
            return unavailable.apply(service + " failed repeatedly; calls to it are paused for "
                    + BREAKER_PAUSE.toSeconds() + " s");
        }
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        // The class only: messages of connection failures name internal addresses, and this one may be shown.
        return unavailable.apply(service + " could not be reached (" + cause.getClass().getSimpleName() + ")");
    }
}
