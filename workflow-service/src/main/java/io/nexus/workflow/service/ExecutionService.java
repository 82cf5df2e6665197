package io.nexus.workflow.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.nexus.common.http.Channel;
import io.nexus.common.paging.Page;
import io.nexus.common.paging.PageRequest;
import io.nexus.common.problem.FieldError;
import io.nexus.common.problem.ProblemException;
import io.nexus.common.problem.ProblemType;
import io.nexus.common.validation.Utf8Length;
import io.nexus.workflow.definition.SignalNames;
import io.nexus.workflow.domain.ExecutionError;
import io.nexus.workflow.domain.ExecutionRecord;
import io.nexus.workflow.domain.ExecutionStatus;
import io.nexus.workflow.catalog.CompiledWorkflows;
import io.nexus.workflow.config.WorkflowConfig;
import io.nexus.workflow.domain.Timestamps;
import io.nexus.workflow.engine.ExecutionEngine;
import io.nexus.workflow.metrics.WorkflowMetrics;
import io.nexus.workflow.repository.ExecutionRepository;
import io.nexus.workflow.repository.ExecutionTransactions;
import io.nexus.workflow.repository.SignalRepository;
import io.nexus.workflow.rest.dto.ExecutionSummaryView;
import io.nexus.workflow.rest.dto.ExecutionView;
import io.nexus.workflow.rest.dto.SignalAcceptedView;
import io.smallrye.mutiny.Uni;

/**
 * Executions once started ({@link ExecutionStarter} starts them): reading and listing them, cancelling them and
 * sending them signals. A cancel or a signal committed here reaches the replica running the execution through the
 * database; this replica's engine is told at once in case it is the one.
 */
@ApplicationScoped
public class ExecutionService {

    private final ExecutionRepository executions;
    private final CompiledWorkflows compiled;
    private final SignalRepository signals;
    private final ExecutionTransactions transactions;
    private final ExecutionEngine engine;
    private final WorkflowMetrics metrics;
    private final WorkflowConfig config;

    public ExecutionService(ExecutionRepository executions, CompiledWorkflows compiled, SignalRepository signals,
            ExecutionTransactions transactions, ExecutionEngine engine, WorkflowMetrics metrics,
            WorkflowConfig config) {
        this.config = config;
        this.executions = executions;
        this.compiled = compiled;
        this.signals = signals;
        this.transactions = transactions;
        this.engine = engine;
        this.metrics = metrics;
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

    /**
     * Stores a signal for a live execution of the tenant (202): it resumes one {@code wait} node of that name, now or
     * when one starts. 404 when the execution is not the tenant's, 409 once it has ended.
     */
    public Uni<SignalAcceptedView> signal(UUID tenant, UUID id, String name, JsonNode payload) {
        List<FieldError> errors = new ArrayList<>();
        if (!SignalNames.PATTERN.matcher(name).matches()) {
            errors.add(new FieldError("name", "must match " + SignalNames.PATTERN.pattern() + "; got '" + name + "'"));
        }
        // A payload is bounded like a start's inputs: the wait node hands it on as its output.
        if (payload != null && Utf8Length.of(payload.toString()) > ExecutionStarter.MAX_INPUT_BYTES) {
            errors.add(new FieldError("payload", "is larger than the limit of " + ExecutionStarter.MAX_INPUT_BYTES
                    + " bytes"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        long maxPending = config.maxPendingSignals();
        return signals.send(tenant, id, name, payload, maxPending).chain(outcome -> {
            if (outcome == SignalRepository.SendOutcome.NOT_LIVE) {
                return whyNotLive(tenant, id, "; the signal was not stored");
            }
            if (outcome == SignalRepository.SendOutcome.FULL) {
                // Not a rate: only the execution's wait nodes taking signals make room, so no Retry-After.
                return Uni.createFrom().failure(new ProblemException(ProblemType.CONFLICT, "execution '" + id
                        + "' already holds " + maxPending + " signals no wait node has taken, the limit "
                        + "(nexus.workflow.max-pending-signals); the signal was not stored"));
            }
            engine.signalled(id);
            metrics.tenantOperation(tenant.toString(), "execution.signal");
            return Uni.createFrom().item(ExecutionViews.signalAccepted(id, name));
        });
    }

    /** Cancels a live execution (409 once it has ended); the replica running it stops at its next step. */
    public Uni<ExecutionView> cancel(UUID tenant, UUID id) {
        Instant now = Timestamps.now();
        ExecutionError error = new ExecutionError(ExecutionError.CANCELLED, "cancelled by request", null);
        return transactions.cancel(tenant, id, error, now).chain(cancellation -> {
            if (cancellation == null) {
                return whyNotLive(tenant, id, "");
            }
            ExecutionRecord cancelled = cancellation.execution();
            engine.cancelled(id);
            cancellation.descendants().forEach(descendant -> engine.cancelled(descendant.id()));
            metrics.executionEnded(ExecutionStatus.CANCELLED.wire(), Channel.parseOrDefault(cancelled.channel()),
                    Duration.between(cancelled.createdAt(), now));
            metrics.tenantOperation(tenant.toString(), "execution.cancel");
            return get(tenant, id);
        });
    }

    /**
     * A write found no live execution of the tenant: 404 when it has none of that id (another tenant's included),
     * 409 when it has ended.
     */
    private <T> Uni<T> whyNotLive(UUID tenant, UUID id, String consequence) {
        return executions.find(tenant, id).map(existing -> {
            if (existing == null) {
                throw noExecution(id);
            }
            throw new ProblemException(ProblemType.CONFLICT, "execution '" + id + "' has already ended ("
                    + existing.status().wire() + ")" + consequence);
        });
    }

    static ProblemException noExecution(UUID id) {
        return ProblemException.notFound("no execution '" + id + "'");
    }

}
