package io.nexus.tenant.repository;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** The usage counters; writes join the caller's transaction (the consumer's, with its processed-event record). */
@ApplicationScoped
public class UsageRepository {

    /** The window of running totals and gauges. */
    public static final LocalDate TOTAL = LocalDate.EPOCH;

    private static final String ADD = "INSERT INTO tenant_usage (tenant_id, counter, window_start, value) "
            + "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (tenant_id, counter, window_start) "
            + "DO UPDATE SET value = GREATEST(0, tenant_usage.value + EXCLUDED.value)";

    public Uni<Void> add(UUID tenantId, String counter, LocalDate window, long delta) {
        return Panache.getSession().chain(session -> session.createNativeQuery(ADD)
                .setParameter(1, tenantId)
                .setParameter(2, counter)
                .setParameter(3, window)
                .setParameter(4, delta)
                .executeUpdate()).replaceWithVoid();
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
