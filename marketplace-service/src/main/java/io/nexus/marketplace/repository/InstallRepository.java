package io.nexus.marketplace.repository;

import static io.nexus.marketplace.repository.Timestamps.instant;
import static io.nexus.marketplace.repository.Timestamps.utc;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.nexus.marketplace.domain.Install;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Installs ({@code installs}), and what a completed install changes: the item's install count and trending value
 * ({@code item_stats}) and its reviewer's {@code verified}.
 */
@ApplicationScoped
public class InstallRepository {

    private static final String COLUMNS = "id, item_id, version, tenant_id, workflow, status, reason, created_at, "
            + "updated_at";

    /**
     * Inserts a pending install unless the tenant has a pending or completed install of the same item version under
     * the same name ({@code installs_one_live}); true when inserted. A concurrent insert of the same install is
     * waited for: if it commits, this one is not inserted.
     */
    public Uni<Boolean> insertUnlessLive(SqlClient tx, Install install) {
        return tx.preparedQuery("""
                INSERT INTO installs (id, item_id, version, tenant_id, workflow, status, reason, created_at,
                                      updated_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                ON CONFLICT (tenant_id, item_id, version, workflow) WHERE status <> 'failed' DO NOTHING""")
                .execute(Tuple.from(new Object[] { install.id(), install.itemId(), install.version(),
                        install.installer(), install.workflow(), install.status().wire(), install.reason(),
                        utc(install.createdAt()), utc(install.updatedAt()) }))
                .map(rows -> rows.rowCount() == 1);
    }

    /** The tenant's pending or completed install of the item version under the name. */
    public Uni<Optional<Install>> findLive(SqlClient client, UUID installer, UUID itemId, String version,
            String workflow) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM installs WHERE tenant_id = $1 AND item_id = $2 "
                + "AND version = $3 AND workflow = $4 AND status <> 'failed'")
                .execute(Tuple.of(installer, itemId, version, workflow)).map(InstallRepository::first);
    }

    public Uni<Optional<Install>> find(SqlClient client, UUID id) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM installs WHERE id = $1")
                .execute(Tuple.of(id)).map(InstallRepository::first);
    }

    /**
     * Settles the pending install {@code id} of {@code installer} as completed or failed; empty when there is no such
     * install or it is settled already (a redelivered or late answer changes nothing). Concurrent answers to one
     * install wait for each other on its row, and only the first finds it pending.
     */
    public Uni<Optional<Install>> settle(SqlClient tx, UUID id, UUID installer, Install.Status status, String reason,
            Instant at) {
        return tx.preparedQuery("UPDATE installs SET status = $3, reason = $4, updated_at = $5 "
                + "WHERE id = $1 AND tenant_id = $2 AND status = 'pending' RETURNING " + COLUMNS)
                .execute(Tuple.of(id, installer, status.wire(), reason, utc(at))).map(InstallRepository::first);
    }

    /**
     * Fails at most {@code limit} installs pending since before {@code before} with {@code reason}; returns them.
     * Replicas doing this at once skip each other's rows, and an answer that arrives meanwhile waits for the row and
     * then finds it settled.
     */
    public Uni<List<Install>> failPendingSince(SqlClient client, Instant before, String reason, Instant at,
            int limit) {
        return client.preparedQuery("UPDATE installs SET status = 'failed', reason = $2, updated_at = $3 "
                + "WHERE id IN (SELECT id FROM installs WHERE status = 'pending' AND created_at < $1 "
                + "ORDER BY created_at LIMIT $4 FOR UPDATE SKIP LOCKED) RETURNING " + COLUMNS)
                .execute(Tuple.of(utc(before), reason, utc(at), limit))
                .map(rows -> {
                    List<Install> failed = new ArrayList<>(rows.size());
                    rows.forEach(row -> failed.add(install(row)));
                    return failed;
                });
    }

    /**
     * Counts a completed install: installs + 1 and {@code trendContribution} added to the trending value by
     * log-sum-exp (as reviews add theirs).
     */
    public Uni<Void> countInstall(SqlClient tx, UUID itemId, double trendContribution, Instant at) {
        return tx.preparedQuery("""
                UPDATE item_stats SET
                    installs = installs + 1,
                    trend_log = CASE WHEN trend_log IS NULL THEN $2::float8
                                     ELSE greatest(trend_log, $2::float8)
                                          + ln(1 + exp(-abs(trend_log - $2::float8))) END,
                    updated_at = $3
                WHERE item_id = $1""")
                .execute(Tuple.of(itemId, trendContribution, utc(at))).replaceWithVoid();
    }

    /** Marks the tenant's review of the item verified (if it has one). */
    public Uni<Void> verifyReview(SqlClient tx, UUID itemId, UUID tenant) {
        return tx.preparedQuery("UPDATE reviews SET verified = true WHERE item_id = $1 AND tenant_id = $2 "
                + "AND NOT verified")
                .execute(Tuple.of(itemId, tenant)).replaceWithVoid();
    }

    /** Whether the tenant has a completed install of the item (any version, any name). */
    public Uni<Boolean> hasCompleted(SqlClient client, UUID itemId, UUID tenant) {
        return client.preparedQuery("SELECT EXISTS (SELECT 1 FROM installs WHERE item_id = $1 AND tenant_id = $2 "
                + "AND status = 'completed')")
                .execute(Tuple.of(itemId, tenant)).map(rows -> rows.iterator().next().getBoolean(0));
    }

    private static Optional<Install> first(RowSet<Row> rows) {
        if (rows.size() == 0) {
            return Optional.empty();
        }
        return Optional.of(install(rows.iterator().next()));
    }

    private static Install install(Row row) {
        return new Install(row.getUUID(0), row.getUUID(1), row.getString(2), row.getUUID(3), row.getString(4),
                Install.Status.ofWire(row.getString(5)), row.getString(6), instant(row.getOffsetDateTime(7)),
                instant(row.getOffsetDateTime(8)));
    }
}
