package io.nexus.session.repository;

import static io.nexus.session.repository.Timestamps.instant;
import static io.nexus.session.repository.Timestamps.utc;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.nexus.session.domain.EndedSession;
import io.nexus.session.domain.Session;
import io.nexus.session.domain.SessionSummary;
import io.nexus.session.domain.WrittenSession;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** The durable record of sessions in PostgreSQL (table {@code sessions}). */
@ApplicationScoped
public class SessionRepository {

    private static final String SESSION_COLUMNS = "id, tenant_id, user_id, channels, data::text, data_version, "
            + "ttl_seconds, created_at, last_activity, expires_at";
    private static final String SUMMARY_COLUMNS = "id, user_id, channels, is_active, created_at, last_activity, "
            + "expires_at, ended_at, end_reason";

    /** Serializes creations per tenant, so that the concurrentSessions quota holds exactly. */
    public Uni<Void> lockTenant(SqlClient tx, UUID tenant) {
        return tx.preparedQuery("SELECT pg_advisory_xact_lock(hashtextextended($1::text, 7))")
                .execute(Tuple.of(tenant.toString())).replaceWithVoid();
    }

    /** Takes the transaction-scoped advisory lock {@code key} if nobody holds it; false when another does. */
    public Uni<Boolean> tryLock(SqlClient tx, long key) {
        return tx.preparedQuery("SELECT pg_try_advisory_xact_lock($1)").execute(Tuple.of(key))
                .map(rows -> rows.iterator().next().getBoolean(0));
    }

    /** The tenant's open sessions and the soonest moment one of them expires (null when none is open). */
    public Uni<OpenSessions> openSessions(SqlClient tx, UUID tenant) {
        return tx.preparedQuery("SELECT count(*), min(expires_at) FROM sessions WHERE tenant_id = $1 AND is_active")
                .execute(Tuple.of(tenant))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new OpenSessions(row.getLong(0), instant(row.getOffsetDateTime(1)));
                });
    }

    public record OpenSessions(long count, Instant soonestExpiry) {
    }

    public Uni<Void> insert(SqlClient tx, Session session) {
        return tx.preparedQuery("""
                INSERT INTO sessions (id, tenant_id, user_id, channels, data, data_version, ttl_seconds, created_at,
                                      last_activity, expires_at)
                VALUES ($1, $2, $3, $4, $5::text::json, $6, $7, $8, $9, $10)""")
                .execute(Tuple.from(new Object[] { session.id(), UUID.fromString(session.tenantId()),
                        session.userId(), session.channels().toArray(String[]::new), session.data(),
                        session.version(), session.ttlSeconds(), utc(session.createdAt()),
                        utc(session.lastActivity()), utc(session.expiresAt()) }))
                .replaceWithVoid();
    }

    /** The tenant's session if it is still open by its record: the source of a restore into Redis. */
    public Uni<Optional<Session>> findOpen(SqlClient client, String id, UUID tenant) {
        return client.preparedQuery("SELECT " + SESSION_COLUMNS
                + " FROM sessions WHERE id = $1 AND tenant_id = $2 AND is_active")
                .execute(Tuple.of(id, tenant))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(session(rows.iterator().next())));
    }

    /** Ends the tenant's session as closed; empty when it was not open (already ended, unknown, another's). */
    public Uni<Optional<EndedSession>> close(SqlClient tx, String id, UUID tenant, Instant at) {
        return tx.preparedQuery("UPDATE sessions SET is_active = false, end_reason = 'closed', ended_at = $3 "
                + "WHERE id = $1 AND tenant_id = $2 AND is_active RETURNING id, tenant_id, ended_at")
                .execute(Tuple.of(id, tenant, utc(at)))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(ended(rows.iterator().next())));
    }

    /**
     * Writes the live state of used sessions behind Redis. Only open records change; data and channels only move
     * forward (a slower write of an older state loses to a newer one).
     */
    public Uni<List<WrittenSession>> writeBehind(SqlClient tx, List<Session> live) {
        if (live.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        int n = live.size();
        String[] ids = new String[n];
        String[] channels = new String[n];
        String[] data = new String[n];
        Long[] versions = new Long[n];
        OffsetDateTime[] activity = new OffsetDateTime[n];
        OffsetDateTime[] expiry = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            Session session = live.get(i);
            ids[i] = session.id();
            channels[i] = String.join(",", session.channels());
            data[i] = session.data();
            versions[i] = session.version();
            activity[i] = utc(session.lastActivity());
            expiry[i] = utc(session.expiresAt());
        }
        return tx.preparedQuery("""
                WITH u AS (
                    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::timestamptz[],
                                         $6::timestamptz[]) AS u(id, channels, data, version, activity, expires)),
                old AS (
                    SELECT s.id, s.channels, s.data_version FROM sessions s JOIN u ON u.id = s.id
                    WHERE s.is_active FOR UPDATE OF s)
                UPDATE sessions s SET
                    channels = CASE WHEN u.activity >= s.last_activity
                                    THEN string_to_array(nullif(u.channels, ''), ',') ELSE s.channels END,
                    data = CASE WHEN u.version > s.data_version THEN u.data::json ELSE s.data END,
                    data_version = greatest(s.data_version, u.version),
                    last_activity = greatest(s.last_activity, u.activity),
                    expires_at = greatest(s.expires_at, u.expires)
                FROM u JOIN old ON old.id = u.id
                WHERE s.id = u.id
                RETURNING s.id, s.tenant_id, s.channels, s.last_activity, s.expires_at,
                          (s.channels IS DISTINCT FROM old.channels OR s.data_version <> old.data_version)""")
                .execute(Tuple.from(new Object[] { ids, channels, data, versions, activity, expiry }))
                .map(rows -> {
                    List<WrittenSession> written = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        written.add(new WrittenSession(row.getString(0), row.getUUID(1).toString(),
                                channels(row, 2), instant(row.getOffsetDateTime(3)),
                                instant(row.getOffsetDateTime(4)), row.getBoolean(5)));
                    }
                    return written;
                });
    }

    /**
     * Open sessions whose recorded expiry is before {@code cutoff}, locked for this sweep (another sweeper skips
     * them), soonest first.
     */
    public Uni<List<String>> expiryCandidates(SqlClient tx, Instant cutoff, int limit) {
        return tx.preparedQuery("SELECT id FROM sessions WHERE is_active AND expires_at < $1 "
                + "ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED")
                .execute(Tuple.of(utc(cutoff), limit))
                .map(rows -> {
                    List<String> ids = new ArrayList<>(rows.size());
                    rows.forEach(row -> ids.add(row.getString(0)));
                    return ids;
                });
    }

    /** Moves the recorded expiry of sessions that Redis shows still alive (used since the last write-behind). */
    public Uni<Void> extend(SqlClient tx, List<Session> alive) {
        if (alive.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = new ArrayList<>(alive.size());
        alive.forEach(session -> rows.add(Tuple.of(session.id(), utc(session.lastActivity()),
                utc(session.expiresAt()))));
        return tx.preparedQuery("UPDATE sessions SET last_activity = greatest(last_activity, $2), "
                + "expires_at = greatest(expires_at, $3) WHERE id = $1 AND is_active")
                .executeBatch(rows).replaceWithVoid();
    }

    /** Ends sessions as expired, at their recorded expiry; returns those that were open. */
    public Uni<List<EndedSession>> expire(SqlClient tx, List<String> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return tx.preparedQuery("UPDATE sessions SET is_active = false, end_reason = 'expired', ended_at = expires_at "
                + "WHERE id = ANY($1) AND is_active RETURNING id, tenant_id, ended_at")
                .execute(Tuple.of(ids.toArray(String[]::new)))
                .map(rows -> {
                    List<EndedSession> ended = new ArrayList<>(rows.size());
                    rows.forEach(row -> ended.add(ended(row)));
                    return ended;
                });
    }

    /** Forgets up to {@code limit} sessions that ended before {@code cutoff} (their execution lists go with them). */
    public Uni<Integer> purgeEnded(SqlClient client, Instant cutoff, int limit) {
        return client.preparedQuery("DELETE FROM sessions WHERE id IN (SELECT id FROM sessions "
                + "WHERE NOT is_active AND ended_at < $1 LIMIT $2)")
                .execute(Tuple.of(utc(cutoff), limit))
                .map(rows -> rows.rowCount());
    }

    /**
     * A page of the tenant's sessions, open ({@code active}) or ended, most recently used first; {@code after} is
     * the sort key of the last session of the previous page.
     */
    public Uni<List<SessionSummary>> list(SqlClient client, UUID tenant, boolean active, String userId,
            SortKey after, int fetch) {
        return client.preparedQuery("SELECT " + SUMMARY_COLUMNS + " FROM sessions "
                + "WHERE tenant_id = $1 AND is_active = $2 AND ($3::text IS NULL OR user_id = $3) "
                + "AND ($4::timestamptz IS NULL OR (last_activity, id) < ($4, $5)) "
                + "ORDER BY last_activity DESC, id DESC LIMIT $6")
                .execute(Tuple.from(new Object[] { tenant, active, userId, after == null ? null : utc(after.at()),
                        after == null ? null : after.id(), fetch }))
                .map(rows -> {
                    List<SessionSummary> page = new ArrayList<>(rows.size());
                    rows.forEach(row -> page.add(new SessionSummary(row.getString(0), row.getString(1),
                            channels(row, 2), row.getBoolean(3), instant(row.getOffsetDateTime(4)),
                            instant(row.getOffsetDateTime(5)), instant(row.getOffsetDateTime(6)),
                            instant(row.getOffsetDateTime(7)), row.getString(8))));
                    return page;
                });
    }

    /** Where a list page ends: the last session's {@code lastActivity} and id. */
    public record SortKey(Instant at, String id) {
    }

    /** Open sessions per channel they used, across all tenants: what {@code nexus_active_sessions} shows. */
    public Uni<Map<String, Long>> openByChannel(SqlClient client) {
        return client.preparedQuery("SELECT channel, count(*) FROM sessions, unnest(channels) AS channel "
                + "WHERE is_active AND expires_at > now() GROUP BY channel")
                .execute()
                .map(rows -> {
                    Map<String, Long> counts = new HashMap<>();
                    rows.forEach(row -> counts.put(row.getString(0), row.getLong(1)));
                    return counts;
                });
    }

    private static Session session(Row row) {
        return new Session(row.getString(0), row.getUUID(1).toString(), row.getString(2), channels(row, 3),
                row.getString(4), row.getLong(5), row.getInteger(6), instant(row.getOffsetDateTime(7)),
                instant(row.getOffsetDateTime(8)), instant(row.getOffsetDateTime(9)));
    }

    private static EndedSession ended(Row row) {
        return new EndedSession(row.getString(0), row.getUUID(1).toString(), instant(row.getOffsetDateTime(2)));
    }

    private static List<String> channels(Row row, int column) {
        String[] channels = row.getArrayOfStrings(column);
        return channels == null ? List.of() : Arrays.asList(channels);
    }
}
