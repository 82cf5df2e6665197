package io.nexus.common.database;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;

/**
 * Keeps the service's hot tables vacuumed and analysed itself, instead of relying on the cluster's autovacuum alone.
 *
 * <p>Why: every execution, outbox event and admission updates or deletes rows, and the partial indexes that find live
 * work (pending executions, unsent events) keep an entry for every row that ever matched them until VACUUM removes it.
 * Where autovacuum is off (it is on the CI machines) or lags behind the churn, each claim and admission scans more dead
 * entries than the one before: measured here, sync executions fell from about 570/s to about 100/s over some 50,000
 * executions, and one VACUUM brought them back.
 *
 * <p>Every {@code nexus.vacuum.interval}, one replica per service (the one that gets an advisory lock on a connection of
 * its own) runs {@code VACUUM (ANALYZE, SKIP_LOCKED)} on each table of the service whose dead, inserted or modified rows
 * since its last vacuum or analyse pass {@code threshold + scale-factor × live rows} (autovacuum's own rule, tighter).
 * VACUUM takes no lock that blocks reads or writes, and SKIP_LOCKED passes over a table a migration holds.
 */
@ApplicationScoped
@IfBuildProperty(name = "nexus.database.enabled", stringValue = "true")
public class TableVacuum {

    private static final Logger LOG = Logger.getLogger(TableVacuum.class);

    /** Not the outbox relay's key ("nexus"): "nexuv". One vacuuming replica per database. */
    static final long LOCK_KEY = 0x6e65787576L;

    /** The service's own tables (VACUUM needs ownership) that are due, the most dead rows first. */
    private static final String DUE_TABLES = "SELECT format('%I.%I', s.schemaname, s.relname) AS name"
            + " FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid"
            + " WHERE c.relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)"
            + " AND GREATEST(s.n_dead_tup, s.n_ins_since_vacuum, s.n_mod_since_analyze)"
            + " > $1::bigint + $2::float8 * s.n_live_tup"
            + " ORDER BY s.n_dead_tup DESC";

    private final Vertx vertx;
    private final VacuumConfig config;
    private final PgConnectOptions connectOptions;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile Long timer;

    public TableVacuum(Vertx vertx, VacuumConfig config,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String databaseUrl,
            @ConfigProperty(name = "quarkus.datasource.username") String databaseUser,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> databasePassword) {
        this.vertx = vertx;
        this.config = config;
        this.connectOptions = DedicatedConnection.options(databaseUrl, databaseUser, databasePassword);
    }

    void onStart(@Observes StartupEvent event) {
        if (config.enabled()) {
            timer = vertx.setPeriodic(config.interval().toMillis(), id -> round());
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        Long current = timer;
        if (current != null) {
            vertx.cancelTimer(current);
        }
    }

    private void round() {
        if (!running.compareAndSet(false, true)) {
            return; // the previous round is still vacuuming
        }
        vacuumDueTables().subscribe().with(tables -> running.set(false), failure -> {
            running.set(false);
            LOG.warnf("Table upkeep did not complete: %s", failure.getMessage());
        });
    }

    /**
     * One round: the due tables, vacuumed and analysed one after the other; none when another replica holds the lock.
     * Returns the tables vacuumed.
     */
    public Uni<List<String>> vacuumDueTables() {
        return PgConnection.connect(vertx, connectOptions)
                .chain(connection -> whileLocked(connection).eventually(connection::close));
    }

    private Uni<List<String>> whileLocked(SqlConnection connection) {
        return connection.query("SELECT pg_try_advisory_lock(" + LOCK_KEY + ") AS locked").execute()
                .chain(rows -> rows.iterator().next().getBoolean("locked")
                        ? connection.preparedQuery(DUE_TABLES)
                                .execute(Tuple.of(config.threshold(), config.scaleFactor()))
                                .chain(due -> vacuumEach(connection, names(due)))
                        : Uni.createFrom().item(List.<String> of()));
    }

    private static List<String> names(Iterable<Row> rows) {
        List<String> names = new ArrayList<>();
        rows.forEach(row -> names.add(row.getString("name")));
        return names;
    }

    private Uni<List<String>> vacuumEach(SqlConnection connection, List<String> tables) {
        return Multi.createFrom().iterable(tables)
                .onItem().transformToUniAndConcatenate(table -> {
                    long started = System.nanoTime();
                    // A simple query: VACUUM may not run in the implicit transaction of an extended-protocol one.
                    return connection.query("VACUUM (ANALYZE, SKIP_LOCKED) " + table).execute()
                            .invoke(() -> LOG.debugf("Vacuumed %s in %d ms", table,
                                    (System.nanoTime() - started) / 1_000_000))
                            .replaceWith(table);
                })
                .collect().asList();
    }
}
