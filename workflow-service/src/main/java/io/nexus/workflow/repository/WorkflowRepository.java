package io.nexus.workflow.repository;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.nexus.workflow.domain.WorkflowSummary;
import io.nexus.workflow.domain.WorkflowTool;
import io.nexus.workflow.domain.WorkflowVersionRecord;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** Workflows and their versions. Writes take the connection of the caller's transaction. */
@ApplicationScoped
public class WorkflowRepository {

    private static final String VERSION_COLUMNS = "w.id, v.id, w.name, v.version, w.latest_version, "
            + "v.definition::text, w.created_at, v.created_at";

    private final Pool pool;

    public WorkflowRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Serializes a tenant's registrations so that two at once cannot both pass the workflows quota: a lock held by
     * {@code tx} until it ends.
     */
    public Uni<Void> lockTenant(SqlConnection tx, UUID tenant) {
        return tx.preparedQuery("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
                .execute(Tuple.of("workflows:" + tenant))
                .replaceWithVoid();
    }

    public Uni<Void> insertWorkflow(SqlConnection tx, UUID id, UUID tenant, String name, String description,
            Instant now) {
        return tx.preparedQuery("INSERT INTO workflows (id, tenant_id, name, description, latest_version, created_at, "
                + "updated_at) VALUES ($1, $2, $3, $4, 1, $5, $5)")
                .execute(Tuple.of(id, tenant, name, description, now.atOffset(ZoneOffset.UTC)))
                .replaceWithVoid();
    }

    public Uni<Void> insertVersion(SqlConnection tx, UUID versionId, UUID workflowId, UUID tenant, int version,
            JsonNode definition, Instant now) {
        return tx.preparedQuery("INSERT INTO workflow_versions (id, workflow_id, tenant_id, version, definition, "
                + "created_at) VALUES ($1, $2, $3, $4, $5::text::jsonb, $6)")
                .execute(Tuple.of(versionId, workflowId, tenant, version, JsonColumns.write(definition),
                        now.atOffset(ZoneOffset.UTC)))
                .replaceWithVoid();
    }

    /** Makes the next version number of a live workflow; null when there is no such workflow. */
    public Uni<NextVersion> nextVersion(SqlConnection tx, UUID tenant, String name, String description, Instant now) {
        return tx.preparedQuery("UPDATE workflows SET latest_version = latest_version + 1, description = $3, "
                + "updated_at = $4 WHERE tenant_id = $1 AND name = $2 AND status = 'active' "
                + "RETURNING id, latest_version, created_at")
                .execute(Tuple.of(tenant, name, description, now.atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.size() == 0 ? null : nextVersion(rows.iterator().next()));
    }

    /** Marks a new workflow as the install of a marketplace item version ({@code itemId@version}). */
    public Uni<Void> markInstalledFrom(SqlConnection tx, UUID workflowId, String source) {
        return tx.preparedQuery("UPDATE workflows SET installed_from = $2 WHERE id = $1")
                .execute(Tuple.of(workflowId, source))
                .replaceWithVoid();
    }

    /**
     * Where the tenant's live workflow {@code name} was installed from: empty when the tenant has no such workflow,
     * {@code ""} when it was registered through the API.
     */
    public Uni<Optional<String>> installedFrom(SqlConnection tx, UUID tenant, String name) {
        return tx.preparedQuery("SELECT coalesce(installed_from, '') FROM workflows "
                + "WHERE tenant_id = $1 AND name = $2 AND status = 'active'")
                .execute(Tuple.of(tenant, name))
                .map(rows -> rows.size() == 0 ? Optional.<String>empty()
                        : Optional.of(rows.iterator().next().getString(0)));
    }

    public Uni<Boolean> markDeleted(SqlConnection tx, UUID tenant, String name, Instant now) {
        return tx.preparedQuery("UPDATE workflows SET status = 'deleted', deleted_at = $3, updated_at = $3 "
                + "WHERE tenant_id = $1 AND name = $2 AND status = 'active'")
                .execute(Tuple.of(tenant, name, now.atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.rowCount() == 1);
    }

    public Uni<Long> countLive(SqlClient client, UUID tenant) {
        return client.preparedQuery("SELECT count(*) FROM workflows WHERE tenant_id = $1 AND status = 'active'")
                .execute(Tuple.of(tenant))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /** A live workflow's version ({@code version} null = the latest); null when there is none. */
    public Uni<WorkflowVersionRecord> findVersion(UUID tenant, String name, Integer version) {
        return pool.preparedQuery("SELECT " + VERSION_COLUMNS + " FROM workflows w JOIN workflow_versions v "
                + "ON v.workflow_id = w.id AND v.version = coalesce($3, w.latest_version) "
                + "WHERE w.tenant_id = $1 AND w.name = $2 AND w.status = 'active'")
                .execute(Tuple.of(tenant, name, version))
                .map(rows -> rows.size() == 0 ? null : version(rows.iterator().next()));
    }

    /** Just the ids of a live workflow's version: what a start needs when the compiled definition is cached. */
    public Uni<VersionRef> findVersionRef(UUID tenant, String name, Integer version) {
        return pool.preparedQuery("SELECT v.id, v.version FROM workflows w JOIN workflow_versions v "
                + "ON v.workflow_id = w.id AND v.version = coalesce($3, w.latest_version) "
                + "WHERE w.tenant_id = $1 AND w.name = $2 AND w.status = 'active'")
                .execute(Tuple.of(tenant, name, version))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new VersionRef(row.getUUID(0), row.getInteger(1));
                });
    }

    /** A version by id, deleted workflows included: executions finish on the version they pinned. */
    public Uni<JsonNode> definitionOf(UUID versionId) {
        return pool.preparedQuery("SELECT definition::text FROM workflow_versions WHERE id = $1")
                .execute(Tuple.of(versionId))
                .map(rows -> rows.size() == 0 ? null : JsonColumns.read(rows.iterator().next().getString(0)));
    }

    /** Live workflows in id (creation) order after {@code after}; {@code query} matches name or description. */
    public Uni<List<WorkflowSummary>> page(UUID tenant, String query, UUID after, int limit) {
        String pattern = query == null || query.isBlank() ? null : "%" + escapeLike(query.strip()) + "%";
        return pool.preparedQuery("SELECT id, name, description, latest_version, created_at, updated_at "
                + "FROM workflows WHERE tenant_id = $1 AND status = 'active' AND ($2::uuid IS NULL OR id > $2) "
                + "AND ($3::text IS NULL OR name ILIKE $3 OR description ILIKE $3) ORDER BY id LIMIT $4")
                .execute(Tuple.of(tenant, after, pattern, limit))
                .map(rows -> {
                    List<WorkflowSummary> page = new ArrayList<>();
                    for (Row row : rows) {
                        page.add(new WorkflowSummary(row.getUUID(0), row.getString(1), row.getString(2),
                                row.getInteger(3), instant(row, 4), instant(row, 5)));
                    }
                    return page;
                });
    }

    /** Every live workflow of a tenant with its latest version's inputSchema, by name: the tenant's MCP tools. */
    public Uni<List<WorkflowTool>> tools(UUID tenant) {
        return pool.preparedQuery("SELECT w.name, w.description, (v.definition -> 'inputSchema')::text "
                + "FROM workflows w JOIN workflow_versions v ON v.workflow_id = w.id AND v.version = w.latest_version "
                + "WHERE w.tenant_id = $1 AND w.status = 'active' ORDER BY w.name")
                .execute(Tuple.of(tenant))
                .map(rows -> {
                    List<WorkflowTool> tools = new ArrayList<>();
                    for (Row row : rows) {
                        String schema = row.getString(2);
                        tools.add(new WorkflowTool(row.getString(0), row.getString(1),
                                schema == null ? null : JsonColumns.read(schema)));
                    }
                    return tools;
                });
    }

    private static String escapeLike(String value) {
        return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static NextVersion nextVersion(Row row) {
        return new NextVersion(row.getUUID(0), row.getInteger(1), instant(row, 2));
    }

    private static WorkflowVersionRecord version(Row row) {
        return new WorkflowVersionRecord(row.getUUID(0), row.getUUID(1), row.getString(2), row.getInteger(3),
                row.getInteger(4), JsonColumns.read(row.getString(5)), instant(row, 6), instant(row, 7));
    }

    static Instant instant(Row row, int column) {
        var value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }

    /** The workflow a PUT adds a version to, and that version's number. */
    public record NextVersion(UUID workflowId, int version, Instant workflowCreatedAt) {
    }

    /** What a start pins. */
    public record VersionRef(UUID versionId, int version) {
    }
}
