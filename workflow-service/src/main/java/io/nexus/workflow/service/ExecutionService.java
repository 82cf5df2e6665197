package io.nexus.workflow.service;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.nexus.common.http.Channel;
import io.nexus.common.ids.Ids;
import io.nexus.common.outbox.OutboxWriter;
import io.nexus.common.outbox.OutboxWriter.OutboxRow;
import io.nexus.common.paging.Page;
import io.nexus.common.paging.PageRequest;
import io.nexus.common.problem.FieldError;
import io.nexus.common.problem.ProblemException;
import io.nexus.common.problem.ProblemType;
import io.nexus.events.execution.ExecutionCancelled;
import io.nexus.events.execution.ExecutionStarted;
import io.nexus.workflow.config.WorkflowConfig;
import io.nexus.workflow.domain.ExecutionError;
import io.nexus.workflow.domain.ExecutionMode;
import io.nexus.workflow.domain.ExecutionRecord;
import io.nexus.workflow.domain.ExecutionStatus;
import io.nexus.workflow.domain.TenantQuotas;
import io.nexus.workflow.definition.SignalNames;
import io.nexus.workflow.engine.CompiledWorkflows;
import io.nexus.workflow.engine.ExecutionEngine;
import io.nexus.workflow.engine.ExecutionResult;
import io.nexus.workflow.metrics.WorkflowMetrics;
import io.nexus.workflow.repository.AdmissionRepository;
import io.nexus.workflow.repository.ExecutionRepository;
import io.nexus.workflow.repository.ExecutionStatements;
import io.nexus.workflow.repository.ExecutionStatements.StartOutcome;
import io.nexus.workflow.repository.IdempotencyRepository;
import io.nexus.workflow.repository.SignalRepository;
import io.nexus.workflow.repository.WorkflowRepository;
import io.nexus.workflow.rest.dto.ExecutionSummaryView;
import io.nexus.workflow.rest.dto.ExecutionView;
import io.nexus.workflow.rest.dto.SignalAcceptedView;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Starting, reading and cancelling executions. A start commits once (admission, the execution, its started event,
 * and the idempotency key if any, in one pipelined transaction) and runs on this replica when it has a free worker;
 * otherwise an async start stays pending for whichever replica has one.
 */
@ApplicationScoped
public class ExecutionService {

    /** CONTRACT §5: inputs at most 256 KiB serialized. */
    static final int MAX_INPUT_BYTES = 256 * 1024;

    /** Starts that find their resolved version stale resolve it again, this many times in all. */
    private static final int MAX_START_ATTEMPTS = 3;

    private final Pool pool;
    private final ResolvedVersions versions;
    private final ExecutionRepository executions;
    private final AdmissionRepository admission;
    private final ExecutionStatements statements;
    private final IdempotencyRepository idempotency;
    private final SignalRepository signals;
    private final CompiledWorkflows compiled;
    private final ExecutionEngine engine;
    private final OutboxWriter outbox;
    private final WorkflowConfig config;
    private final WorkflowMetrics metrics;

    public ExecutionService(Pool pool, ResolvedVersions versions, ExecutionRepository executions,
            AdmissionRepository admission, ExecutionStatements statements, IdempotencyRepository idempotency,
            SignalRepository signals, CompiledWorkflows compiled,
            ExecutionEngine engine, OutboxWriter outbox, WorkflowConfig config, WorkflowMetrics metrics) {
        this.pool = pool;
        this.versions = versions;
        this.executions = executions;
        this.admission = admission;
        this.statements = statements;
        this.idempotency = idempotency;
        this.signals = signals;
        this.compiled = compiled;
        this.engine = engine;
        this.outbox = outbox;
        this.config = config;
        this.metrics = metrics;
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
        if (errors.isEmpty() && inputs.toString().length() > MAX_INPUT_BYTES) {
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
        Instant now = now();
        boolean sync = command.mode() == ExecutionMode.SYNC;
        Duration timeout = command.timeoutMs() != null ? Duration.ofMillis(command.timeoutMs())
                : defaultTimeout(version);
        UUID id = Ids.newUuid();
        ExecutionRecord execution = new ExecutionRecord(id, command.tenant(), command.workflow(), ref.versionId(),
                ref.version(), sync ? ExecutionStatus.RUNNING : ExecutionStatus.PENDING, command.mode(),
                command.channel(), command.sessionId(), command.inputs(), null, null, now.plus(timeout), now,
                sync ? now : null, null);
        ExecutionStarted started = ExecutionStarted.of(execution, null, now);
        LocalDate today = now.atOffset(ZoneOffset.UTC).toLocalDate();
        String leaseOwner = hasWorker ? engine.replicaId() : null;
        long leaseMs = config.leaseDuration().toMillis();
        OutboxRow announcement = outbox.rowFor(started);
        // One statement admits, inserts and announces (ExecutionStatements). With an Idempotency-Key, the key's claim
        // comes first in the same transaction, so a refused start leaves the key free and a taken key starts nothing.
        boolean latest = command.version() == null;
        // With a key, a start that does not happen must roll the claim back: it fails the transaction.
        Uni<Boolean> admitted = key == null
                ? statements.start(pool, execution, latest, leaseOwner, leaseMs, today, defaults(), announcement)
                        .map(ExecutionService::admittedOrFail)
                : pool.withTransaction(tx -> idempotency.claim(tx, key.scope(), key.requestHash(), id,
                        config.idempotencyRetention()).chain(claimed -> claimed
                                ? statements.start(tx, execution, latest, leaseOwner, leaseMs, today, defaults(),
                                        announcement)
                                        .map(outcome -> {
                                            if (!admittedOrFail(outcome)) {
                                                throw new NotAdmitted();
                                            }
                                            return Boolean.TRUE;
                                        })
                                : Uni.createFrom().failure(new IdempotencyKeyClaim.Taken())))
                        .onFailure(NotAdmitted.class).recoverWithItem(Boolean.FALSE);
        return admitted
                .chain(ok -> ok ? Uni.createFrom().item(execution) : refusal(command.tenant(), today))
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
        StartResponse stillRunning = new StartResponse(202, ExecutionViews.accepted(execution.id(),
                ExecutionStatus.RUNNING), location);
        if (command.waitMs() <= 0) {
            if (result.isDone() && !result.isCompletedExceptionally()) {
                return Uni.createFrom().item(ended(result.join()));
            }
            engine.stopWaiting(execution.id(), result);
            return Uni.createFrom().item(stillRunning);
        }
        return Uni.createFrom().completionStage(result)
                .ifNoItem().after(Duration.ofMillis(command.waitMs())).recoverWithItem(() -> null)
                .onFailure().recoverWithItem(() -> null)
                .map(outcome -> {
                    if (outcome == null) {
                        engine.stopWaiting(execution.id(), result);
                        return stillRunning;
                    }
                    return ended(outcome);
                });
    }

    private static StartResponse ended(ExecutionResult result) {
        return new StartResponse(200, ExecutionViews.result(result), null);
    }

    private Uni<ExecutionRecord> refusal(UUID tenant, LocalDate today) {
        return admission.state(pool, tenant, defaults()).map(state -> {
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

    public Uni<ExecutionView> get(UUID tenant, UUID id) {
        return executions.find(tenant, id)
                .onItem().ifNull().failWith(() -> noExecution(id))
                .chain(execution -> compiled.get(execution.workflowVersionId())
                        .chain(version -> executions.steps(id).map(steps -> ExecutionViews.full(execution,
                                version.workflow().definition().nodes(), steps))));
    }

    public Uni<Page<ExecutionSummaryView>> list(UUID tenant, String workflow, String status, PageRequest page) {
        ExecutionStatus filter = null;
        if (status != null && !status.isEmpty()) {
            try {
                filter = ExecutionStatus.fromWire(status);
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalid(List.of(new FieldError("status", "must be one of pending, running, "
                        + "waiting, completed, failed, cancelled; got '" + status + "'")));
            }
        }
        return executions.page(tenant, workflow == null || workflow.isEmpty() ? null : workflow, filter,
                page.afterUuid(), page.fetchSize())
                .map(rows -> Page.of(rows, page, row -> row.id().toString(), ExecutionViews::summary));
    }

    private static ExecutionCancelled cancelledEvent(ExecutionRecord execution, Instant now) {
        return ExecutionCancelled.of(execution, Duration.between(execution.createdAt(), now).toMillis(), now);
    }

    /**
     * Stores a signal for a live execution of the tenant (202): it resumes one {@code wait} node of that name, now or
     * when one starts. 404 when the execution is not the tenant's, 409 once it has ended.
     */
    public Uni<SignalAcceptedView> signal(UUID tenant, UUID id, String name, JsonNode payload) {
        List<FieldError> errors = new ArrayList<>();
        if (!SignalNames.PATTERN.matcher(name).matches()) {
            errors.add(new FieldError("name", "must match " + SignalNames.PATTERN.pattern() + "; got '" + name + "'"));
        }
        if (payload != null && payload.toString().length() > MAX_INPUT_BYTES) {
            errors.add(new FieldError("payload", "is larger than the limit of " + MAX_INPUT_BYTES + " bytes"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return signals.send(pool, tenant, id, name, payload).chain(stored -> {
            if (!stored) {
                return executions.find(tenant, id).map(existing -> {
                    if (existing == null) {
                        throw noExecution(id);
                    }
                    throw new ProblemException(ProblemType.CONFLICT, "execution '" + id + "' has already ended ("
                            + existing.status().wire() + "); the signal was not stored");
                });
            }
            engine.signalled(id);
            metrics.tenantOperation(tenant.toString(), "execution.signal");
            return Uni.createFrom().item(ExecutionViews.signalAccepted(id, name));
        });
    }

    /** Cancels a live execution (409 once it has ended); the replica running it stops at its next step. */
    public Uni<ExecutionView> cancel(UUID tenant, UUID id) {
        Instant now = now();
        List<UUID> cancelledHere = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutionError error = new ExecutionError(ExecutionError.CANCELLED, "cancelled by request", null);
        return pool.withTransaction(tx -> executions.cancel(tx, tenant, id, error, now).chain(cancelled -> {
            if (cancelled == null) {
                return Uni.createFrom().<ExecutionRecord> nullItem();
            }
            // Its sub-workflows go with it; a parent waiting for it looks at once (its subworkflow node fails).
            return executions.cancelDescendants(tx, id, error, now).chain(descendants -> {
                List<ExecutionCancelled> events = new ArrayList<>();
                events.add(cancelledEvent(cancelled, now));
                descendants.forEach(descendant -> events.add(cancelledEvent(descendant, now)));
                return outbox.append(tx, events)
                        .chain(() -> executions.wakeParent(tx, id))
                        .invoke(() -> cancelledHere.addAll(descendants.stream().map(ExecutionRecord::id).toList()));
            }).replaceWith(cancelled);
        })).chain(cancelled -> {
            if (cancelled == null) {
                return executions.find(tenant, id).map(existing -> {
                    if (existing == null) {
                        throw noExecution(id);
                    }
                    throw new ProblemException(ProblemType.CONFLICT, "execution '" + id + "' has already ended ("
                            + existing.status().wire() + ")");
                });
            }
            engine.cancelled(id);
            cancelledHere.forEach(engine::cancelled);
            metrics.executionEnded(ExecutionStatus.CANCELLED.wire(), Channel.parseOrDefault(cancelled.channel()),
                    Duration.between(cancelled.createdAt(), now));
            metrics.tenantOperation(tenant.toString(), "execution.cancel");
            return get(tenant, id);
        });
    }

    private TenantQuotas defaults() {
        WorkflowConfig.DefaultQuotas quotas = config.defaultQuotas();
        return new TenantQuotas(quotas.workflows(), quotas.executionsPerDay(), quotas.concurrentExecutions());
    }

    static ProblemException noExecution(UUID id) {
        return ProblemException.notFound("no execution '" + id + "'");
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    /** The admission statement found a quota exhausted: roll back and explain which. */
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

    private static final class NotAdmitted extends RuntimeException {
        NotAdmitted() {
            super("not admitted", null, false, false);
        }
    }
}
