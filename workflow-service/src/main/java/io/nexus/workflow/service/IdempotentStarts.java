package io.nexus.workflow.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.nexus.common.identity.CallerIdentity;
import io.nexus.common.problem.FieldError;
import io.nexus.common.problem.ProblemException;
import io.nexus.common.problem.ProblemType;
import io.nexus.workflow.config.WorkflowConfig;
import io.nexus.workflow.domain.ExecutionStatus;
import io.nexus.workflow.repository.ExecutionTransactions;
import io.nexus.workflow.repository.IdempotencyRepository;
import io.nexus.workflow.repository.IdempotencyRepository.KeyScope;
import io.nexus.workflow.rest.dto.StartExecutionRequest;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * {@code Idempotency-Key} on starts (docs/api.md §2): scoped to (tenant, method, route), kept 24 h. A retry with the same
 * key and body gets the first response; the same key with another body is 422; while the first request has not
 * answered yet, 409.
 */
@ApplicationScoped
public class IdempotentStarts {

    private static final Logger LOG = Logger.getLogger(IdempotentStarts.class);
    static final String ROUTE = "/api/v1/workflows/{name}/executions";
    static final int MAX_KEY_LENGTH = 255;

    private final ExecutionStarter starter;
    private final IdempotencyRepository keys;
    private final WorkflowConfig config;
    private final ObjectMapper mapper;

    public IdempotentStarts(ExecutionStarter starter, IdempotencyRepository keys, WorkflowConfig config,
            ObjectMapper mapper) {
        this.starter = starter;
        this.keys = keys;
        this.config = config;
        this.mapper = mapper;
    }

    /** Starts {@code workflow} as {@code request} asks, for {@code caller}, under its Idempotency-Key if any. */
    public Uni<StartResponse> start(UUID tenant, String workflow, StartExecutionRequest request, CallerIdentity caller,
            String key) {
        StartCommand command = StartCommand.of(tenant, workflow, request, caller, config);
        if (key == null) {
            return starter.start(command, null);
        }
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw ProblemException.invalid(List.of(new FieldError("Idempotency-Key",
                    "must be 1 to " + MAX_KEY_LENGTH + " characters, got " + key.length())));
        }
        KeyScope scope = new KeyScope(command.tenant(), "POST", ROUTE.replace("{name}", command.workflow()), key);
        // The body as bound, not the command: the same body sent again hashes the same whatever defaults filled in.
        String hash = hash(command.workflow() + "\n" + mapper.valueToTree(request));
        return starter.start(command, new IdempotencyKeyClaim(scope, hash))
                .call(response -> keys.remember(scope, response.status(), response.body())
                        .onFailure().invoke(failure -> LOG.warnf("Could not remember the response to idempotency "
                                + "key %s: %s", key, failure.getMessage()))
                        .onFailure().recoverWithNull())
                .onFailure(ExecutionTransactions.KeyTaken.class).recoverWithUni(() -> replay(scope, hash, command));
    }

    private Uni<StartResponse> replay(KeyScope scope, String hash, StartCommand command) {
        return keys.find(scope).map(first -> {
            if (first == null) {
                // Expired between the claim and now: a rare race; the client may simply retry.
                throw new ProblemException(ProblemType.CONFLICT, "the Idempotency-Key changed hands; retry");
            }
            if (!first.requestHash().equals(hash)) {
                throw new ProblemException(ProblemType.UNPROCESSABLE, "Idempotency-Key '" + scope.key()
                        + "' was used with a different request body");
            }
            if (first.responseStatus() == null) {
                if (inFlight(first.createdAt())) {
                    throw new ProblemException(ProblemType.CONFLICT, "the first request with Idempotency-Key '"
                            + scope.key() + "' is still in progress");
                }
                // Its replica never answered (it stopped): the execution itself tells where it is.
                return new StartResponse(202, ExecutionViews.accepted(first.executionId(), ExecutionStatus.PENDING),
                        "/api/v1/executions/" + first.executionId());
            }
            String location = first.responseStatus() == 202 ? "/api/v1/executions/" + first.executionId() : null;
            return new StartResponse(first.responseStatus(), first.responseBody(), location);
        });
    }

    /** A first request may take up to its longest wait; after that (plus slack) it is not coming back. */
    private boolean inFlight(Instant createdAt) {
        return createdAt.plus(Duration.ofMillis(config.maxWaitMs() + 10_000)).isAfter(Instant.now());
    }

    void scheduleCleanup(@Observes StartupEvent event, Vertx vertx) {
        vertx.setPeriodic(Duration.ofMinutes(10).toMillis(), id -> keys.forgetOlderThan(config.idempotencyRetention())
                .subscribe().with(count -> LOG.debugf("Forgot %d idempotency keys", count),
                        failure -> LOG.warnf("Forgetting idempotency keys failed: %s", failure.getMessage())));
    }

    private static String hash(String request) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(request.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
