package io.nexus.workflow.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.nexus.common.ids.Ids;
import io.nexus.common.outbox.OutboxWriter;
import io.nexus.common.paging.Page;
import io.nexus.common.paging.PageRequest;
import io.nexus.common.problem.FieldError;
import io.nexus.common.problem.ProblemException;
import io.nexus.common.problem.ProblemType;
import io.nexus.events.workflow.WorkflowDeleted;
import io.nexus.events.workflow.WorkflowRegistered;
import io.nexus.events.workflow.WorkflowUpdated;
import io.nexus.workflow.config.WorkflowConfig;
import io.nexus.workflow.definition.CompiledWorkflow;
import io.nexus.workflow.definition.ParsedDefinition;
import io.nexus.workflow.domain.WorkflowVersionRecord;
import io.nexus.workflow.catalog.CompiledWorkflows;
import io.nexus.workflow.metrics.WorkflowMetrics;
import io.nexus.workflow.repository.TenantQuotaRepository;
import io.nexus.workflow.repository.WorkflowRepository;
import io.nexus.workflow.rest.dto.WorkflowSummaryView;
import io.nexus.workflow.rest.dto.WorkflowVersionView;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Workflow definitions: every registration and PUT validates the whole definition and adds an immutable version,
 * committed with the event that announces it (nexus.workflows, through the outbox).
 */
@ApplicationScoped
public class WorkflowService {

    private final Pool pool;
    private final WorkflowRepository workflows;
    private final TenantQuotaRepository quotas;
    private final CompiledWorkflows compiled;
    private final OutboxWriter outbox;
    private final WorkflowConfig config;
    private final WorkflowMetrics metrics;

    public WorkflowService(Pool pool, WorkflowRepository workflows, TenantQuotaRepository quotas,
            CompiledWorkflows compiled, OutboxWriter outbox, WorkflowConfig config,
            WorkflowMetrics metrics) {
        this.pool = pool;
        this.workflows = workflows;
        this.quotas = quotas;
        this.compiled = compiled;
        this.outbox = outbox;
        this.config = config;
        this.metrics = metrics;
    }

    public Uni<WorkflowVersionView> register(UUID tenant, JsonNode body) {
        return compiled.parse(body).map(parsed -> checked(parsed, body, null))
                .chain(workflow -> register(tenant, workflow));
    }

    private Uni<WorkflowVersionView> register(UUID tenant, CompiledWorkflow workflow) {
        String name = workflow.definition().name();
        JsonNode definition = workflow.canonicalJson();
        UUID workflowId = Ids.newUuid();
        UUID versionId = Ids.newUuid();
        Instant now = now();
        return pool.withTransaction(tx -> workflows.lockTenant(tx, tenant)
                .chain(() -> workflows.countLive(tx, tenant))
                .chain(count -> quotas.workflowsQuota(tx, tenant, config.defaultQuotas().workflows())
                        .invoke(limit -> {
                            if (count >= limit) {
                                throw new ProblemException(ProblemType.TOO_MANY_REQUESTS, "the tenant has " + count
                                        + " workflows, its quota is " + limit, null, Map.of("Retry-After", "60"));
                            }
                        }))
                .chain(() -> workflows.insertWorkflow(tx, workflowId, tenant, name,
                        workflow.definition().description(), now))
                .chain(() -> workflows.insertVersion(tx, versionId, workflowId, tenant, 1, definition, now))
                .chain(() -> outbox.append(tx, List.of(new WorkflowRegistered(tenant.toString(), name, 1, now)))))
                .onFailure(Conflicts::isUniqueViolation)
                .transform(failure -> new ProblemException(ProblemType.CONFLICT, "a workflow named '" + name
                        + "' exists"))
                .map(ignored -> {
                    compiled.put(versionId, workflow);
                    metrics.tenantOperation(tenant.toString(), "workflow.register");
                    return WorkflowViews.version(new WorkflowVersionRecord(workflowId, versionId, name, 1, 1,
                            definition, now, now));
                });
    }

    /** PUT: always a new version, also when the definition is unchanged. */
    public Uni<WorkflowVersionView> update(UUID tenant, String name, JsonNode body) {
        return compiled.parse(body).map(parsed -> checked(parsed, body, name))
                .chain(workflow -> update(tenant, name, workflow));
    }

    private Uni<WorkflowVersionView> update(UUID tenant, String name, CompiledWorkflow workflow) {
        JsonNode definition = workflow.canonicalJson();
        UUID versionId = Ids.newUuid();
        Instant now = now();
        return pool.withTransaction(tx -> workflows.nextVersion(tx, tenant, name, workflow.definition().description(),
                now).chain(next -> {
                    if (next == null) {
                        return Uni.createFrom().failure(noWorkflow(name));
                    }
                    return workflows.insertVersion(tx, versionId, next.workflowId(), tenant, next.version(),
                            definition, now)
                            .chain(() -> outbox.append(tx, List.of(new WorkflowUpdated(tenant.toString(), name,
                                    next.version(), now))))
                            .replaceWith(new WorkflowVersionRecord(next.workflowId(), versionId, name, next.version(),
                                    next.version(), definition, next.workflowCreatedAt(), now));
                }))
                .map(record -> {
                    compiled.put(versionId, workflow);
                    metrics.tenantOperation(tenant.toString(), "workflow.update");
                    return WorkflowViews.version(record);
                });
    }

    public Uni<WorkflowVersionView> get(UUID tenant, String name, Integer version) {
        return workflows.findVersion(tenant, name, version).map(record -> {
            if (record == null) {
                throw version == null ? noWorkflow(name)
                        : ProblemException.notFound("workflow '" + name + "' has no version " + version);
            }
            return WorkflowViews.version(record);
        });
    }

    public Uni<Page<WorkflowSummaryView>> list(UUID tenant, String query, PageRequest page) {
        return workflows.page(tenant, query, page.afterUuid(), page.fetchSize())
                .map(rows -> Page.of(rows, page, row -> row.id().toString(), WorkflowViews::summary));
    }

    /** Deletes the workflow; executions that pinned one of its versions keep running. */
    public Uni<Void> delete(UUID tenant, String name) {
        Instant now = now();
        return pool.withTransaction(tx -> workflows.markDeleted(tx, tenant, name, now).chain(deleted -> {
            if (!deleted) {
                return Uni.createFrom().failure(noWorkflow(name));
            }
            return outbox.append(tx, List.of(new WorkflowDeleted(tenant.toString(), name, now)));
        })).invoke(() -> metrics.tenantOperation(tenant.toString(), "workflow.delete"));
    }

    /** The workflow, or a 422 naming every problem (and a body name that differs from the path's, on PUT). */
    private static CompiledWorkflow checked(ParsedDefinition parsed, JsonNode body, String pathName) {
        List<FieldError> errors = new ArrayList<>(parsed.errors());
        JsonNode bodyName = body.get("name");
        if (pathName != null && bodyName != null && bodyName.isTextual() && !pathName.equals(bodyName.textValue())) {
            errors.add(new FieldError("name", "must equal the name in the path '" + pathName + "', got '"
                    + bodyName.textValue() + "'"));
        }
        if (!errors.isEmpty()) {
            String detail = errors.size() == 1 ? "the definition has 1 problem"
                    : "the definition has " + errors.size() + " problems";
            throw new ProblemException(ProblemType.UNPROCESSABLE, detail, errors, Map.of());
        }
        return parsed.workflow();
    }

    static ProblemException noWorkflow(String name) {
        return ProblemException.notFound("no workflow '" + name + "'");
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
