package io.nexus.workflow.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.nexus.common.ids.Ids;
import io.nexus.common.paging.Page;
import io.nexus.common.paging.PageRequest;
import io.nexus.common.problem.FieldError;
import io.nexus.common.problem.ProblemException;
import io.nexus.common.problem.ProblemType;
import io.nexus.workflow.catalog.CompiledWorkflows;
import io.nexus.workflow.config.WorkflowConfig;
import io.nexus.workflow.definition.CompiledWorkflow;
import io.nexus.workflow.definition.CredentialHeaders;
import io.nexus.workflow.definition.ParsedDefinition;
import io.nexus.workflow.domain.Timestamps;
import io.nexus.workflow.domain.WorkflowTool;
import io.nexus.workflow.domain.WorkflowVersionRecord;
import io.nexus.workflow.expression.EvaluationPool;
import io.nexus.workflow.metrics.WorkflowMetrics;
import io.nexus.workflow.repository.WorkflowRepository;
import io.nexus.workflow.repository.WorkflowTransactions;
import io.nexus.workflow.rest.dto.WorkflowSnapshotView;
import io.nexus.workflow.rest.dto.WorkflowSummaryView;
import io.nexus.workflow.rest.dto.WorkflowVersionView;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Workflow definitions: every registration and PUT validates the whole definition (422 naming every problem) and
 * adds an immutable version ({@link WorkflowTransactions}), whose compiled form is cached at once for the first start.
 */
@ApplicationScoped
public class WorkflowService {

    private final WorkflowRepository workflows;
    private final WorkflowTransactions transactions;
    private final CompiledWorkflows compiled;
    private final WorkflowConfig config;
    private final WorkflowMetrics metrics;

    public WorkflowService(WorkflowRepository workflows, WorkflowTransactions transactions,
            CompiledWorkflows compiled, WorkflowConfig config, WorkflowMetrics metrics) {
        this.workflows = workflows;
        this.transactions = transactions;
        this.compiled = compiled;
        this.config = config;
        this.metrics = metrics;
    }

    public Uni<WorkflowVersionView> register(UUID tenant, JsonNode body) {
        return parse(tenant, body).map(parsed -> checked(parsed, body, null))
                .chain(workflow -> register(tenant, workflow));
    }

    private Uni<WorkflowVersionView> register(UUID tenant, CompiledWorkflow workflow) {
        String name = workflow.definition().name();
        Instant now = Timestamps.now();
        WorkflowVersionRecord version = new WorkflowVersionRecord(Ids.newUuid(), Ids.newUuid(), name, 1, 1,
                workflow.canonicalJson(), now, now);
        return transactions.register(tenant, version, workflow.definition().description(),
                config.defaultQuotas().workflows())
                .onFailure(Conflicts::isUniqueViolation)
                .transform(failure -> new ProblemException(ProblemType.CONFLICT, "a workflow named '" + name
                        + "' exists"))
                .map(registration -> {
                    if (!registration.registered()) {
                        throw new ProblemException(ProblemType.TOO_MANY_REQUESTS, "the tenant has "
                                + registration.workflows() + " workflows, its quota is " + registration.limit(), null,
                                Map.of("Retry-After", "60"));
                    }
                    compiled.put(version.versionId(), workflow);
                    metrics.tenantOperation(tenant.toString(), "workflow.register");
                    return WorkflowViews.version(version);
                });
    }

    /** PUT: always a new version, also when the definition is unchanged. */
    public Uni<WorkflowVersionView> update(UUID tenant, String name, JsonNode body) {
        return parse(tenant, body).map(parsed -> checked(parsed, body, name))
                .chain(workflow -> update(tenant, name, workflow));
    }

    private Uni<WorkflowVersionView> update(UUID tenant, String name, CompiledWorkflow workflow) {
        UUID versionId = Ids.newUuid();
        return transactions.addVersion(tenant, name, workflow.definition().description(), versionId,
                workflow.canonicalJson(), Timestamps.now())
                .onItem().ifNull().failWith(() -> noWorkflow(name))
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

    /** A version whole, as other services copy it (the marketplace's snapshots); latest when {@code version} is null. */
    public Uni<WorkflowSnapshotView> snapshot(UUID tenant, String name, Integer version) {
        return workflows.findVersion(tenant, name, version).map(record -> {
            if (record == null) {
                throw version == null ? noWorkflow(name)
                        : ProblemException.notFound("workflow '" + name + "' has no version " + version);
            }
            return new WorkflowSnapshotView(record.name(), record.version(), record.definition());
        });
    }

    public Uni<Page<WorkflowSummaryView>> list(UUID tenant, String query, PageRequest page) {
        return workflows.page(tenant, query, page.afterUuid(), page.fetchSize())
                .map(rows -> Page.of(rows, page, row -> row.id().toString(), WorkflowViews::summary));
    }

    /** The tenant's live workflows as MCP tools: name, description and latest inputSchema, by name. */
    public Uni<List<WorkflowTool>> tools(UUID tenant) {
        return workflows.tools(tenant);
    }

    /** Deletes the workflow; executions that pinned one of its versions keep running. */
    public Uni<Void> delete(UUID tenant, String name) {
        return transactions.delete(tenant, name, Timestamps.now()).map(deleted -> {
            if (!deleted) {
                throw noWorkflow(name);
            }
            metrics.tenantOperation(tenant.toString(), "workflow.delete");
            return null;
        });
    }

    /**
     * A marketplace install in the consuming transaction {@code tx}: the item version's definition, renamed to
     * {@code name}, goes through the same validation and {@code workflows} quota as a registration. A definition that
     * no longer validates fails the install with the problems as its reason; nothing fails the transaction but the
     * database itself, so the event is never retried for a reason that would repeat.
     */
    public Uni<WorkflowTransactions.InstallOutcome> install(SqlConnection tx, UUID tenant, String name,
            JsonNode definition, WorkflowTransactions.InstallSource source) {
        Instant now = Timestamps.now();
        JsonNode renamed = definition != null && definition.isObject()
                ? ((ObjectNode) definition.deepCopy()).put("name", name) : definition;
        return compiled.parse(renamed == null ? NullNode.getInstance() : renamed)
                .map(parsed -> checked(parsed, renamed, null))
                .onFailure(ProblemException.class).recoverWithNull()
                .chain(workflow -> {
                    if (workflow == null) {
                        return transactions.installFailed(tx, tenant, name, source,
                                "the item's definition is not valid on this platform any more", now);
                    }
                    WorkflowVersionRecord version = new WorkflowVersionRecord(Ids.newUuid(), Ids.newUuid(), name, 1,
                            1, workflow.canonicalJson(), now, now);
                    return transactions.install(tx, tenant, version, workflow.definition().description(), source,
                            config.defaultQuotas().workflows()).invoke(outcome -> {
                                if (outcome == WorkflowTransactions.InstallOutcome.INSTALLED) {
                                    compiled.put(version.versionId(), workflow);
                                    metrics.tenantOperation(tenant.toString(), "workflow.install");
                                }
                            });
                });
    }

    /**
     * A registration's definition, compiled in the pool's bounded compile lane: a full lane is 503, the tenant's own
     * share of it used up is 429, both with {@code Retry-After} (docs/api.md §4.3).
     */
    private Uni<ParsedDefinition> parse(UUID tenant, JsonNode body) {
        return compiled.parse(tenant, body).onFailure(EvaluationPool.Saturated.class).transform(failure -> {
            EvaluationPool.Saturated saturated = (EvaluationPool.Saturated) failure;
            return new ProblemException(saturated.tenantCap() ? ProblemType.TOO_MANY_REQUESTS
                    : ProblemType.SERVICE_UNAVAILABLE, saturated.getMessage() + "; try again shortly", null,
                    Map.of("Retry-After", "1"));
        });
    }

    /** The workflow, or a 422 naming every problem (and a body name that differs from the path's, on PUT). */
    private static CompiledWorkflow checked(ParsedDefinition parsed, JsonNode body, String pathName) {
        List<FieldError> errors = new ArrayList<>(parsed.errors());
        JsonNode bodyName = body.get("name");
        if (pathName != null && bodyName != null && bodyName.isTextual() && !pathName.equals(bodyName.textValue())) {
            errors.add(new FieldError("name", "must equal the name in the path '" + pathName + "', got '"
                    + bodyName.textValue() + "'"));
        }
        if (parsed.valid()) {
            errors.addAll(CredentialHeaders.inDefinition(parsed.workflow()));
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

}
