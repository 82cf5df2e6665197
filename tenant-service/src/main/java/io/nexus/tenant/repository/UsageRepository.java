package io.nexus.tenant.repository;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The usage counters. Events change them in one statement each ({@link #addOnce}); reads go through Hibernate Reactive
 * with the rest of the service.
 */
@ApplicationScoped
public class UsageRepository {

    /** The window of running totals and gauges. */
    public static final LocalDate TOTAL = LocalDate.EPOCH;

    /** One counter change an event makes. */
    public record Change(String counter, LocalDate window, long delta) {
    }

    // The event id is recorded and the counters change in one statement, which is one transaction: the changes apply
    // only when the record is new, so a redelivered event changes nothing, and a failure leaves neither behind.
    private static final String ADD_ONCE = """
            WITH recorded AS (
                INSERT INTO processed_event (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1)
            INSERT INTO tenant_usage (tenant_id, counter, window_start, value)
            SELECT $3, c.counter, c.window_start, c.delta
            FROM unnest($4::text[], $5::date[], $6::bigint[]) AS c(counter, window_start, delta)
            WHERE EXISTS (SELECT 1 FROM recorded)
            ON CONFLICT (tenant_id, counter, window_start)
            DO UPDATE SET value = GREATEST(0, tenant_usage.value + EXCLUDED.value)""";

    /**
     * Applies {@code changes} (each to a different counter or window) for event {@code eventId} once per
     * {@code consumer}: a statement of its own, outside any session or transaction of the caller.
     */
    public Uni<Void> addOnce(SqlClient client, String consumer, String eventId, UUID tenantId, List<Change> changes) {
        String[] counters = new String[changes.size()];
        LocalDate[] windows = new LocalDate[changes.size()];
        Long[] deltas = new Long[changes.size()];
        for (int i = 0; i < changes.size(); i++) {
            counters[i] = changes.get(i).counter();
            windows[i] = changes.get(i).window();
            deltas[i] = changes.get(i).delta();
        }
        return client.preparedQuery(ADD_ONCE)
                .execute(Tuple.from(new Object[] { consumer, eventId, tenantId, counters, windows, deltas }))
                .replaceWithVoid();
    }

    /** Counter values of a tenant for the given windows, by counter name. */
    @SuppressWarnings("unchecked")
    public Uni<Map<String, Long>> read(UUID tenantId, LocalDate today) {
        return Panache.withSession(() -> Panache.getSession().chain(session -> session
                .createNativeQuery("SELECT counter, window_start, value FROM tenant_usage "
                        + "WHERE tenant_id = ?1 AND window_start IN (?2, ?3)", Object[].class)
                .setParameter(1, tenantId)
                .setParameter(2, TOTAL)
                .setParameter(3, today)
                .getResultList()))
                .map(rows -> {
                    Map<String, Long> values = new HashMap<>();
                    for (Object[] row : (List<Object[]>) (List<?>) rows) {
                        values.put((String) row[0], ((Number) row[2]).longValue());
                    }
                    return values;
                });
    }
}
