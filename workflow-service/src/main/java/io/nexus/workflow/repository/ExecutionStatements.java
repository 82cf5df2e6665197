package io.nexus.workflow.repository;

import static io.nexus.workflow.repository.ExecutionRepository.utc;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.nexus.common.outbox.OutboxWriter.OutboxRow;
import io.nexus.workflow.domain.ExecutionError;
import io.nexus.workflow.domain.ExecutionRecord;
import io.nexus.workflow.domain.ExecutionStatus;
import io.nexus.workflow.domain.StepRecord;
import io.nexus.workflow.domain.TenantQuotas;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The two writes every execution makes, each one statement (data-modifying CTEs) that commits on its own. The start
 * takes an admission slot ({@code admit_execution}, migration V5), which locks the tenant's admission row: as a single
 * statement, that lock is held for the statement and its commit only, never across a round trip to this service. The
 * end touches no shared row: the slot frees itself when the execution's status leaves pending/running/waiting.
 */
@ApplicationScoped
public class ExecutionStatements {

    private static final String START = """
            WITH current_version AS (
                SELECT 1 FROM workflow_versions v JOIN workflows w ON w.id = v.workflow_id
                WHERE v.id = $7 AND w.tenant_id = $1 AND w.status = 'active'
                  AND (NOT $25::boolean OR w.latest_version = v.version)),
            admitted AS (SELECT 1 FROM current_version WHERE admit_execution($1, $2, $3, $4)),
            started AS (
                INSERT INTO executions (id, tenant_id, workflow, workflow_version_id, version, status, mode, channel,
                                        session_id, inputs, deadline_at, lease_owner, lease_until, created_at, started_at)
                SELECT $5, $1, $6, $7, $8, $9, $10, $11, $12, $13::text::jsonb, $14::timestamptz, $15::text,
                       CASE WHEN $15::text IS NULL THEN NULL ELSE now() + $24::bigint * interval '1 millisecond' END, $16,
                       $17
                FROM admitted
                RETURNING id),
            announced AS (
                INSERT INTO outbox_event (event_id, event_type, topic, aggregate_id, tenant_id, payload)
                SELECT $18, $19, $20, $21, $22, $23 FROM started)
            SELECT (SELECT count(*) FROM current_version), (SELECT count(*) FROM started)""";

    private static final String END = """
            WITH ended AS (
                UPDATE executions SET status = $2, outputs = $3::text::jsonb, error = $4::text::jsonb,
                    started_at = coalesce(started_at, $5), finished_at = $6, lease_owner = NULL, lease_until = NULL,
                    wake_at = NULL
                WHERE id = $1 AND status IN ('pending', 'running', 'waiting') AND lease_owner = $21
                RETURNING tenant_id, parent_id),
            woken AS (
                UPDATE executions p SET signalled_at = now(),
                    wake_at = CASE WHEN p.status = 'waiting' THEN now() ELSE p.wake_at END
                FROM ended WHERE p.id = ended.parent_id AND p.status IN ('pending', 'running', 'waiting')),
            """ + stepsAndEvents("ended", 7);

    private static final String PARK = """
            WITH parked AS (
                UPDATE executions SET status = 'waiting', started_at = coalesce(started_at, $4),
                    lease_owner = NULL, lease_until = NULL,
                    wake_at = CASE WHEN signalled_at IS NOT NULL THEN now() ELSE least($2, deadline_at) END
                WHERE id = $1 AND status IN ('pending', 'running') AND lease_owner = $3
                RETURNING id),
            """ + stepsAndEvents("parked", 5);

    private final Pool pool;

    public ExecutionStatements(Pool pool) {
        this.pool = pool;
    }

    /**
     * Admits, inserts and announces a new execution in one statement (on the pool, or inside a caller's transaction).
     * The statement first checks that the execution's version is still startable: its workflow not deleted and, when
     * {@code latest}, still at that version; a start can so reuse the version it resolved earlier without reading it
     * again. Nothing is written unless it answers {@link StartOutcome#STARTED}. With a {@code leaseOwner}, that
     * replica holds the new execution for {@code leaseMs}.
     */
    public Uni<StartOutcome> start(SqlClient client, ExecutionRecord execution, boolean latest, String leaseOwner,
            long leaseMs, LocalDate today, TenantQuotas defaults, OutboxRow started) {
        return client.preparedQuery(START).execute(Tuple.from(new Object[] { execution.tenantId(), today,
                defaults.concurrentExecutions(), defaults.executionsPerDay(), execution.id(), execution.workflow(),
                execution.workflowVersionId(), execution.version(), execution.status().wire(),
                execution.mode().wire(), execution.channel(), execution.sessionId(),
                JsonColumns.write(execution.inputs()), utc(execution.deadlineAt()), leaseOwner,
                utc(execution.createdAt()), utc(execution.startedAt()), started.eventId(), started.type(),
                started.topic(), started.aggregateId(), started.tenantId(), started.payload(), leaseMs, latest }))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    if (row.getLong(0) == 0L) {
                        return StartOutcome.VERSION_CHANGED;
                    }
                    return row.getLong(1) == 1L ? StartOutcome.STARTED : StartOutcome.NOT_ADMITTED;
                });
    }

    /** What the start statement did. */
    public enum StartOutcome {
        STARTED,
        /** A quota is exhausted. */
        NOT_ADMITTED,
        /** The workflow was deleted, or (for a start of its latest version) changed: resolve the version again. */
        VERSION_CHANGED
    }

    /**
     * Ends an execution with its remaining steps and events in one statement (which frees its admission slot); false
     * (and nothing written) when it had ended already (cancelled by another request) or {@code owner} no longer
     * holds it (its lease ran out and another replica re-drives it).
     */
    public Uni<Boolean> end(UUID id, String owner, ExecutionStatus status, String outputs, ExecutionError error,
            Instant startedAt, Instant finishedAt, List<StepRecord> steps, List<OutboxRow> events) {
        Object[] parameters = withStepsAndEvents(new Object[] { id, status.wire(), outputs, JsonColumns.write(error),
                utc(startedAt), utc(finishedAt) }, steps, events, owner);
        return pool.preparedQuery(END).execute(Tuple.from(parameters))
                .map(rows -> rows.iterator().next().getLong(0) == 1L);
    }

    /**
     * Parks an execution whose remaining nodes all wait: status waiting, no lease, due again at {@code wakeAt} (null =
     * only a signal wakes it; never later than its deadline), with the steps decided since the last commit (the
     * waiting ones included) and their events. False when it had ended or {@code owner} no longer holds it.
     */
    public Uni<Boolean> park(UUID id, String owner, Instant wakeAt, Instant startedAt, List<StepRecord> steps,
            List<OutboxRow> events) {
        Object[] parameters = withStepsAndEvents(new Object[] { id, utc(wakeAt), owner, utc(startedAt) }, steps,
                events, null);
        return pool.preparedQuery(PARK).execute(Tuple.from(parameters))
                .map(rows -> rows.iterator().next().getLong(0) == 1L);
    }

    /**
     * The tail the end and the park share: the execution's steps (upserted) and its events, written only when the
     * guarding CTE {@code guard} changed the execution; steps are parameters ${@code first}.. as eight arrays, events
     * the six after them (see {@link #withStepsAndEvents}).
     */
    private static String stepsAndEvents(String guard, int first) {
        String[] types = { "text", "int", "text", "int", "text", "text", "text", "text", "uuid", "text", "text",
                "text", "text", "text" };
        String[] parameter = new String[types.length];
        for (int i = 0; i < types.length; i++) {
            parameter[i] = "$" + (first + i) + "::" + types[i] + "[]";
        }
        return """
                steps AS (
                    INSERT INTO execution_steps (execution_id, node, position, status, attempts, started_at,
                                                 finished_at, output, error)
                    SELECT $1, s.node, s.position, s.status, s.attempts, s.started_at::timestamptz,
                           s.finished_at::timestamptz, s.output::jsonb, s.error::jsonb
                    FROM unnest(%s) AS s(node, position, status, attempts, started_at, finished_at, output, error)
                    WHERE EXISTS (SELECT 1 FROM %s)
                    ON CONFLICT (execution_id, node) DO UPDATE SET status = excluded.status,
                        attempts = excluded.attempts, started_at = excluded.started_at,
                        finished_at = excluded.finished_at, output = excluded.output, error = excluded.error),
                announced AS (
                    INSERT INTO outbox_event (event_id, event_type, topic, aggregate_id, tenant_id, payload)
                    SELECT e.id, e.type, e.topic, e.aggregate, e.tenant, e.payload
                    FROM unnest(%s) AS e(id, type, topic, aggregate, tenant, payload)
                    WHERE EXISTS (SELECT 1 FROM %s))
                SELECT count(*) FROM %s""".formatted(String.join(", ", Arrays.copyOfRange(parameter, 0, 8)),
                guard, String.join(", ", Arrays.copyOfRange(parameter, 8, 14)), guard, guard);
    }

    /** The parameters as given, then the steps as eight arrays, the events as six, then {@code last} if not null. */
    private static Object[] withStepsAndEvents(Object[] first, List<StepRecord> steps, List<OutboxRow> events,
            Object last) {
        int n = steps.size();
        String[] nodes = new String[n];
        Integer[] positions = new Integer[n];
        String[] statuses = new String[n];
        Integer[] attempts = new Integer[n];
        String[] starts = new String[n];
        String[] finishes = new String[n];
        String[] outputsOfSteps = new String[n];
        String[] errors = new String[n];
        for (int i = 0; i < n; i++) {
            StepRecord step = steps.get(i);
            nodes[i] = step.node();
            positions[i] = step.position();
            statuses[i] = step.status().wire();
            attempts[i] = step.attempts();
            starts[i] = step.startedAt() == null ? null : step.startedAt().toString();
            finishes[i] = step.finishedAt() == null ? null : step.finishedAt().toString();
            outputsOfSteps[i] = JsonColumns.write(step.output());
            errors[i] = JsonColumns.write(step.error());
        }
        int m = events.size();
        UUID[] eventIds = new UUID[m];
        String[] types = new String[m];
        String[] topics = new String[m];
        String[] aggregates = new String[m];
        String[] tenants = new String[m];
        String[] payloads = new String[m];
        for (int i = 0; i < m; i++) {
            OutboxRow event = events.get(i);
            eventIds[i] = event.eventId();
            types[i] = event.type();
            topics[i] = event.topic();
            aggregates[i] = event.aggregateId();
            tenants[i] = event.tenantId();
            payloads[i] = event.payload();
        }
        List<Object> all = new ArrayList<>(first.length + 15);
        all.addAll(Arrays.asList(first));
        all.addAll(List.of(nodes, positions, statuses, attempts, starts, finishes, outputsOfSteps, errors, eventIds,
                types, topics, aggregates, tenants, payloads));
        if (last != null) {
            all.add(last);
        }
        return all.toArray();
    }
}
