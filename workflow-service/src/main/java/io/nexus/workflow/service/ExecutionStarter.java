package io.nexus.workflow.service;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.nexus.common.ids.Ids;
import io.nexus.common.problem.FieldError;
import io.nexus.common.problem.ProblemException;
import io.nexus.common.problem.ProblemType;
import io.nexus.common.validation.Utf8Length;
import io.nexus.workflow.catalog.ResolvedVersions;
import io.nexus.workflow.config.WorkflowConfig;
import io.nexus.workflow.domain.ExecutionMode;
import io.nexus.workflow.domain.ExecutionRecord;
import io.nexus.workflow.domain.ExecutionStatus;
import io.nexus.workflow.domain.TenantQuotas;
import io.nexus.workflow.catalog.CompiledWorkflows;
import io.nexus.workflow.domain.Timestamps;
import io.nexus.workflow.engine.ExecutionEngine;
import io.nexus.workflow.engine.ExecutionResult;
import io.nexus.workflow.metrics.WorkflowMetrics;
import io.nexus.workflow.repository.AdmissionRepository;
import io.nexus.workflow.repository.ExecutionRepository;
import io.nexus.workflow.repository.ExecutionStatements.StartOutcome;
import io.nexus.workflow.repository.ExecutionTransactions;
import io.nexus.workflow.repository.ExecutionTransactions.NewExecution;
import io.nexus.workflow.repository.WorkflowRepository;
import io.smallrye.mutiny.Uni;

/**
 * Starting executions. A start commits once (admission, the execution, its started event, and the idempotency key if
 * any, in one pipelined transaction) and runs on this replica when it has a free worker; otherwise an async start
 * stays pending for whichever replica has one.
 */
@ApplicationScoped
public class ExecutionStarter {

    /** docs/api.md §5: inputs at most 256 KiB serialized. */
    static final int MAX_INPUT_BYTES = 256 * 1024;

    /** Starts that find their resolved version stale resolve it again, this many times in all. */
    private static final int MAX_START_ATTEMPTS = 3;

    private final ResolvedVersions versions;
    private final CompiledWorkflows compiled;
    private final ExecutionEngine engine;
    private final ExecutionTransactions transactions;
    private final AdmissionRepository admission;
    private final WorkflowConfig config;
    private final WorkflowMetrics metrics;
    private final ExecutionRepository executions;
    private final AtomicInteger waitingSyncStarts = new AtomicInteger();

    public ExecutionStarter(ResolvedVersions versions, CompiledWorkflows compiled, ExecutionEngine engine,
            ExecutionTransactions transactions, AdmissionRepository admission, WorkflowConfig config,
            WorkflowMetrics metrics, ExecutionRepository executions) {
        this.executions = executions;
        this.versions = versions;
        this.compiled = compiled;
        this.engine = engine;
        this.transactions = transactions;
        this.admission = admission;
        this.config = config;
        this.metrics = metrics;
    }

    /** Sync starts on this replica waiting for their execution to end, their clients connected. */
    public int waitingSyncStarts() {
        return waitingSyncStarts.get();
    }

    /** Starts an execution; {@code key} (nullable) claims an Idempotency-Key in the same transaction. */
    public Uni<StartResponse> start(StartCommand command, IdempotencyKeyClaim key) {
        return start(command, key, 1);
    }

    private Uni<StartResponse> start(StartCommand command, IdempotencyKeyClaim key, int attempt) {
        return versions.resolve(command.tenant(), command.workflow(), command.version())
                .onItem().ifNull().failWith(() -> command.version() == null
                        ? WorkflowService.noWorkflow(command.workflow())
                        : ProblemException.notFound("workflow '" + command.workflow() + "' has no version "
                                + command.version()))
                .chain(ref -> compiled.get(ref.versionId()).chain(version -> {
                    checkInputs(command.inputs(), version);
                    return worker(command.mode()).chain(hasWorker -> insert(command, ref, version, key, hasWorker)
                            .onFailure().invoke(() -> {
                                if (hasWorker) {
                                    engine.releaseWorker();
                                }
                            })
                            .chain(execution -> respond(command, execution, version, hasWorker)));
                }))
                // The version resolved earlier is no longer startable (the workflow changed or went): resolve again.
                // Only a workflow replaced again and again in the meantime runs out of attempts.
                .onFailure(VersionChanged.class).recoverWithUni(changed -> {
                    versions.forget(command.tenant(), command.workflow(), command.version());
                    return attempt < MAX_START_ATTEMPTS ? start(command, key, attempt + 1)
                            : Uni.createFrom().failure(new ProblemException(ProblemType.CONFLICT, "workflow '"
                                    + command.workflow() + "' kept changing while the execution was starting; retry"));
                });
    }

    private static void checkInputs(JsonNode inputs, CompiledWorkflows.Entry version) {
        List<FieldError> errors = new ArrayList<>(version.workflow().validateInputs(inputs));
        if (errors.isEmpty() && Utf8Length.of(inputs.toString()) > MAX_INPUT_BYTES) {
            errors.add(new FieldError("inputs", "is larger than the limit of " + MAX_INPUT_BYTES + " bytes"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
    }

    /** A sync start waits a bounded time for a worker (429 after it); an async one takes a free one or none. */
    private Uni<Boolean> worker(ExecutionMode mode) {
        if (mode == ExecutionMode.ASYNC) {
            return Uni.createFrom().item(engine.tryAcquireWorker());
        }
        return Uni.createFrom().completionStage(engine.acquireWorker(config.workerWait())).invoke(acquired -> {
            if (!acquired) {
                throw new ProblemException(ProblemType.TOO_MANY_REQUESTS, "every worker of this replica is busy; "
                        + "no worker freed up within " + config.workerWait().toMillis() + " ms", null,
                        Map.of("Retry-After", "1"));
            }
        });
    }

    private Uni<ExecutionRecord> insert(StartCommand command, WorkflowRepository.VersionRef ref,
            CompiledWorkflows.Entry version, IdempotencyKeyClaim key, boolean hasWorker) {
        Instant now = Timestamps.now();
        boolean sync = command.mode() == ExecutionMode.SYNC;
        Duration timeout = command.timeoutMs() != null ? Duration.ofMillis(command.timeoutMs())
                : defaultTimeout(version);
        UUID id = Ids.newUuid();
        ExecutionRecord execution = new ExecutionRecord(id, command.tenant(), command.workflow(), ref.versionId(),
                ref.version(), sync ? ExecutionStatus.RUNNING : ExecutionStatus.PENDING, command.mode(),
                command.channel(), command.sessionId(), command.inputs(), null, null, now.plus(timeout), now,
                sync ? now : null, null);
        // With a worker here, this replica holds the execution from its first commit on.
        NewExecution start = new NewExecution(execution, command.version() == null,
                hasWorker ? engine.replicaId() : null, config.leaseDuration().toMillis(), defaults());
        // With an Idempotency-Key, the key's claim comes first in the same transaction, so a refused start leaves the
        // key free and a taken key starts nothing.
        Uni<StartOutcome> outcome = key == null ? transactions.start(start)
                : transactions.startWithKey(start, key.scope(), key.requestHash(), config.idempotencyRetention());
        return outcome
                .map(ExecutionStarter::admittedOrFail)
                .chain(ok -> ok ? Uni.createFrom().item(execution) : refusal(command.tenant(), start.day()))
                .invoke(() -> metrics.tenantOperation(command.tenant().toString(), "execution.start"));
    }

    private Duration defaultTimeout(CompiledWorkflows.Entry version) {
        Long definitionTimeout = version.workflow().definition().timeoutMs();
        return definitionTimeout != null ? Duration.ofMillis(definitionTimeout) : config.defaultExecutionTimeout();
    }

    private Uni<StartResponse> respond(StartCommand command, ExecutionRecord execution,
            CompiledWorkflows.Entry version, boolean hasWorker) {
        String location = "/api/v1/executions/" + execution.id();
        if (!hasWorker) {
            engine.pendingWithoutWorker();
            return Uni.createFrom().item(new StartResponse(202, ExecutionViews.accepted(execution.id(),
                    ExecutionStatus.PENDING), location));
        }
        var result = engine.run(execution, version).toCompletableFuture();
        if (command.mode() == ExecutionMode.ASYNC) {
            return Uni.createFrom().item(new StartResponse(202, ExecutionViews.accepted(execution.id(),
                    ExecutionStatus.PENDING), location));
        }
        if (command.waitMs() <= 0) {
            if (result.isDone() && !result.isCompletedExceptionally()) {
                return Uni.createFrom().item(ended(result.join()));
            }
            engine.stopWaiting(execution.id(), result);
            return notEnded(execution.id(), location);
        }
        return Uni.createFrom().completionStage(result)
                .ifNoItem().after(Duration.ofMillis(command.waitMs())).recoverWithItem(() -> null)
                .onFailure().recoverWithItem(() -> null)
                // A client that leaves cancels the wait (the execution itself goes on: it was accepted).
                .onSubscription().invoke(waitingSyncStarts::incrementAndGet)
                .onTermination().invoke(waitingSyncStarts::decrementAndGet)
                .onCancellation().invoke(() -> engine.stopWaiting(execution.id(), result))
                .chain(outcome -> {
                    if (outcome == null) {
                        engine.stopWaiting(execution.id(), result);
                        return notEnded(execution.id(), location);
                    }
                    return Uni.createFrom().item(ended(outcome));
                });
    }

    /**
     * A sync start that did not see the end: 202 with {@code waiting} when the execution parked (a signal, a timer, a
     * child), else {@code running}. Read from PostgreSQL, since it may have parked (or been re-driven) anywhere.
     */
    private Uni<StartResponse> notEnded(UUID executionId, String location) {
        return executions.findById(executionId)
                .map(found -> found != null && found.status() == ExecutionStatus.WAITING ? ExecutionStatus.WAITING
                        : ExecutionStatus.RUNNING)
                .onFailure().recoverWithItem(ExecutionStatus.RUNNING)
                .map(status -> new StartResponse(202, ExecutionViews.accepted(executionId, status), location));
    }

    private static StartResponse ended(ExecutionResult result) {
        return new StartResponse(200, ExecutionViews.result(result), null);
    }

    /** The admission statement found a quota exhausted: explain which, with when to retry. */
    private Uni<ExecutionRecord> refusal(UUID tenant, LocalDate today) {
        return admission.state(tenant, defaults()).map(state -> {
            if (state.active() >= state.concurrentLimit()) {
                throw new ProblemException(ProblemType.TOO_MANY_REQUESTS, "the tenant has " + state.active()
                        + " executions in progress, its concurrentExecutions quota is " + state.concurrentLimit(),
                        null, Map.of("Retry-After", "1"));
            }
            long untilMidnight = Duration.between(Instant.now(),
                    today.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC)).toSeconds() + 1;
            throw new ProblemException(ProblemType.TOO_MANY_REQUESTS, "the tenant started " + state.dayCount()
                    + " executions today (UTC), its executionsPerDay quota is " + state.dailyLimit(), null,
                    Map.of("Retry-After", Long.toString(Math.max(1, untilMidnight))));
        });
    }

    private TenantQuotas defaults() {
        WorkflowConfig.DefaultQuotas quotas = config.defaultQuotas();
        return new TenantQuotas(quotas.workflows(), quotas.executionsPerDay(), quotas.concurrentExecutions());
    }


    /** True when started, false when a quota refused it; throws when the version resolved earlier is stale. */
    private static boolean admittedOrFail(StartOutcome outcome) {
        if (outcome == StartOutcome.VERSION_CHANGED) {
            throw new VersionChanged();
        }
        return outcome == StartOutcome.STARTED;
    }

    private static final class VersionChanged extends RuntimeException {
        VersionChanged() {
            super(null, null, false, false);
        }
    }
}
