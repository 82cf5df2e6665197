package io.nexus.workflow.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.nexus.events.NexusEvent;
import io.nexus.workflow.catalog.CompiledWorkflows;
import io.nexus.workflow.client.SessionServiceClient;
import io.nexus.workflow.config.WorkflowConfig;
import io.nexus.workflow.domain.ExecutionError;
import io.nexus.workflow.domain.ExecutionRecord;
import io.nexus.workflow.domain.ExecutionStatus;
import io.nexus.workflow.domain.StepBatch;
import io.nexus.workflow.domain.Timestamps;
import io.nexus.workflow.engine.http.HttpCallSpec;
import io.nexus.workflow.engine.http.SafeHttpClient;
import io.nexus.workflow.expression.EvaluationPool;
import io.nexus.workflow.repository.ExecutionRepository;
import io.nexus.workflow.repository.ExecutionTransactions;
import io.nexus.workflow.repository.ExecutionRepository.Lineage;
import io.nexus.workflow.repository.WorkflowRepository;
import io.nexus.workflow.secrets.TenantSecrets;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * {@link RunServices} on this replica: Vert.x timers, the evaluation pool, the execution's transactions (as the lease
 * owner {@link ReplicaId}), child planning, the guarded http client and session-service.
 */
@ApplicationScoped
class ReplicaRunServices implements RunServices {

    private final Vertx vertx;
    private final WorkflowConfig config;
    private final EvaluationPool pool;
    private final ExecutionTransactions transactions;
    private final ExecutionRepository executions;
    private final WorkflowRepository workflows;
    private final CompiledWorkflows compiled;
    private final SafeHttpClient httpClient;
    private final SessionServiceClient sessionService;
    private final TenantSecrets secrets;
    private final String owner;

    ReplicaRunServices(Vertx vertx, WorkflowConfig config, EvaluationPool pool, ExecutionTransactions transactions,
            ExecutionRepository executions, WorkflowRepository workflows, CompiledWorkflows compiled,
            SafeHttpClient httpClient, SessionServiceClient sessionService, TenantSecrets secrets, ReplicaId replica) {
        this.vertx = vertx;
        this.config = config;
        this.pool = pool;
        this.transactions = transactions;
        this.executions = executions;
        this.workflows = workflows;
        this.compiled = compiled;
        this.httpClient = httpClient;
        this.sessionService = sessionService;
        this.secrets = secrets;
        this.owner = replica.value();
    }

    @Override
    public Executor evaluationPool() {
        return pool;
    }

    @Override
    public Instant now() {
        return Timestamps.now();
    }

    @Override
    public long setTimer(long delayMs, Runnable action) {
        return vertx.setTimer(delayMs, id -> action.run());
    }

    @Override
    public void cancelTimer(long timerId) {
        vertx.cancelTimer(timerId);
    }

    @Override
    public Duration inMemoryWait() {
        return config.inMemoryWait();
    }

    @Override
    public Uni<Boolean> commitBoundary(ExecutionRecord execution, StepBatch batch,
            NexusEvent<JsonNode> integrationEvent) {
        return transactions.boundary(execution, owner, batch, integrationEvent, now());
    }

    @Override
    public Uni<Optional<JsonNode>> takeSignal(ExecutionRecord execution, String node, String signal,
            Function<JsonNode, StepBatch> batchWith) {
        return transactions.takeSignal(execution, owner, node, signal, batchWith, now());
    }

    @Override
    public Uni<Boolean> commitPark(ExecutionRecord execution, Instant wakeAt, Instant startedAt, StepBatch batch) {
        return transactions.park(execution, owner, wakeAt, startedAt, batch);
    }

    @Override
    public Uni<ChildPlan> planChild(ExecutionRecord parent, String workflow, Integer version) {
        return executions.lineage(parent.id()).chain(lineage -> workflows
                .findVersionRef(parent.tenantId(), workflow, version)
                .chain(ref -> ref == null ? Uni.createFrom().item(new ChildPlan(lineage, null, null))
                        : compiled.get(ref.versionId()).map(entry -> new ChildPlan(lineage, ref, entry))));
    }

    @Override
    public Uni<Boolean> startChild(ExecutionRecord parent, String node, ExecutionRecord child, Lineage lineage,
            StepBatch batch) {
        return transactions.startChild(parent, owner, node, child, lineage, batch, now());
    }

    @Override
    public Uni<ExecutionRecord> child(UUID childId) {
        return executions.findById(childId);
    }

    @Override
    public Uni<Boolean> commitEnd(ExecutionRecord execution, ExecutionStatus status, JsonNode outputs,
            ExecutionError error, Instant startedAt, Instant finishedAt, StepBatch batch) {
        return transactions.end(execution, owner, status, outputs, error, startedAt, finishedAt, batch);
    }

    @Override
    public Uni<TenantSecrets.Opened> secrets(UUID tenant, Set<String> names) {
        return secrets.open(tenant, names);
    }

    @Override
    public Uni<NodeOutcome> http(HttpCallSpec spec) {
        return HttpNodeCalls.call(httpClient, spec);
    }

    @Override
    public Uni<NodeOutcome> sessionData(ExecutionRecord execution) {
        return SessionCalls.data(sessionService, execution);
    }

    @Override
    public Uni<NodeOutcome> mergeSession(ExecutionRecord execution, ObjectNode patch) {
        return SessionCalls.merge(sessionService, execution, patch);
    }
}
