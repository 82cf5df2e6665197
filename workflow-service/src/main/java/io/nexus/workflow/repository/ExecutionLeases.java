package io.nexus.workflow.repository;

import static io.nexus.workflow.repository.ExecutionRepository.COLUMNS;
import static io.nexus.workflow.repository.ExecutionRepository.execution;
import static io.nexus.workflow.repository.ExecutionRepository.executions;
import static io.nexus.workflow.repository.ExecutionRepository.prefixed;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.nexus.workflow.domain.ExecutionRecord;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Which replica holds which execution: leases taken by claims, renewed while the replica runs them, handed back at
 * shutdown, and left to run out when it dies (another replica's claim then re-drives the execution).
 */
@ApplicationScoped
public class ExecutionLeases {

    private final Pool pool;

    public ExecutionLeases(Pool pool) {
        this.pool = pool;
    }

    /**
     * Claims up to {@code limit} executions that need a replica, for {@code owner} and {@code leaseMs}: pending ones
     * nobody holds (taking turns between tenants — each tenant's oldest first, then each one's second, … — so that one
     * tenant's backlog of async starts never makes another's wait behind all of it), running ones whose holder's lease ran out (it died: re-driven from the last
     * committed step), and waiting ones that are due. Locked rows are skipped, so replicas claiming at once never
     * take the same execution.
     */
    public Uni<List<ExecutionRecord>> claim(String owner, int limit, long leaseMs) {
        return pool.preparedQuery("""
                WITH turns AS (SELECT id, created_at,
                                      row_number() OVER (PARTITION BY tenant_id ORDER BY created_at) AS turn
                                 FROM executions WHERE status = 'pending'
                                  AND (lease_until IS NULL OR lease_until < now())),
                     candidates AS (SELECT id, turn, created_at FROM turns ORDER BY turn, created_at LIMIT $2 * 2),
                     pending AS (SELECT e.id FROM executions e JOIN candidates c ON c.id = e.id
                                  WHERE e.status = 'pending' AND (e.lease_until IS NULL OR e.lease_until < now())
                                  ORDER BY c.turn, c.created_at LIMIT $2 FOR UPDATE OF e SKIP LOCKED),
                     orphaned AS (SELECT id FROM executions WHERE status = 'running'
                                    AND (lease_until IS NULL OR lease_until < now())
                                  ORDER BY lease_until NULLS FIRST LIMIT $2 FOR UPDATE SKIP LOCKED),
                     due AS (SELECT id FROM executions WHERE status = 'waiting' AND wake_at <= now()
                             ORDER BY wake_at LIMIT $2 FOR UPDATE SKIP LOCKED),
                     chosen AS (SELECT id FROM (SELECT id FROM pending UNION ALL SELECT id FROM orphaned
                                                UNION ALL SELECT id FROM due) c LIMIT $2)
                UPDATE executions e SET lease_owner = $1, lease_until = now() + $3::bigint * interval '1 millisecond',
                    status = CASE WHEN e.status = 'waiting' THEN 'running' ELSE e.status END,
                    wake_at = NULL, signalled_at = NULL
                FROM chosen WHERE e.id = chosen.id
                RETURNING\s""" + prefixed("e."))
                .execute(Tuple.of(owner, limit, leaseMs))
                .map(ExecutionRepository::executions);
    }

    /**
     * Claims one parked execution if it is due (the in-memory timer of the replica that parked it; the periodic claim
     * is the fallback); null when it is not due or somebody else has it.
     */
    public Uni<ExecutionRecord> claimDue(UUID id, String owner, long leaseMs) {
        return pool.preparedQuery("UPDATE executions SET lease_owner = $2, "
                + "lease_until = now() + $3::bigint * interval '1 millisecond', status = 'running', wake_at = NULL, "
                + "signalled_at = NULL WHERE id = (SELECT id FROM executions WHERE id = $1 AND status = 'waiting' "
                + "AND wake_at <= now() FOR UPDATE SKIP LOCKED) RETURNING " + COLUMNS)
                .execute(Tuple.of(id, owner, leaseMs))
                .map(rows -> rows.size() == 0 ? null : execution(rows.iterator().next()));
    }

    /**
     * How many executions need a replica and have none, platform-wide: exactly what {@link #claim} would take if it
     * had the workers (pending ones without a live lease, running ones whose holder's lease ran out, waiting ones
     * whose timer is due). One count per state, so each uses the index the claim uses; takes no locks, so rows a
     * claim holds at that instant are still counted (they are not running yet).
     */
    public Uni<Long> countUnclaimed() {
        return pool.query("""
                SELECT (SELECT count(*) FROM executions WHERE status = 'pending'
                          AND (lease_until IS NULL OR lease_until < now()))
                     + (SELECT count(*) FROM executions WHERE status = 'running'
                          AND (lease_until IS NULL OR lease_until < now()))
                     + (SELECT count(*) FROM executions WHERE status = 'waiting' AND wake_at <= now()) AS backlog""")
                .execute()
                .map(rows -> rows.iterator().next().getLong("backlog"));
    }

    /** Extends every lease {@code owner} holds; one statement per renewal round, however many it runs. */
    public Uni<Integer> renewLeases(String owner, long leaseMs) {
        return pool.preparedQuery("UPDATE executions SET lease_until = now() + $2::bigint * interval '1 millisecond' "
                + "WHERE lease_owner = $1 AND status IN ('pending', 'running')")
                .execute(Tuple.of(owner, leaseMs))
                .map(RowSet::rowCount);
    }

    /** Hands back what this replica holds when it stops, so that another replica takes it over at once. */
    public Uni<Integer> releaseLeases(String owner) {
        return pool.preparedQuery("UPDATE executions SET lease_owner = NULL, lease_until = NULL "
                + "WHERE lease_owner = $1 AND status IN ('pending', 'running')")
                .execute(Tuple.of(owner))
                .map(RowSet::rowCount);
    }
}
