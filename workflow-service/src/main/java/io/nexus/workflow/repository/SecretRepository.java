package io.nexus.workflow.repository;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.nexus.workflow.domain.SealedSecret;
import io.nexus.workflow.domain.SecretSummary;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Tenant secrets (table {@code tenant_secrets}): sealed values only, every statement scoped to one tenant. */
@ApplicationScoped
public class SecretRepository {

    /** What a put did: {@code stored} null when the tenant is at its limit. */
    public record Put(boolean created, SecretSummary stored) {
    }

    /** A stored secret to re-encrypt: its row and its sealed value. */
    public record Stored(UUID tenant, String name, SealedSecret sealed) {
    }

    private final Pool pool;

    public SecretRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Stores or replaces the tenant's secret {@code name}; a new name only while the tenant has fewer than
     * {@code limit}. Puts of one tenant are serialized, so that two at once cannot both pass the limit.
     */
    public Uni<Put> put(UUID tenant, String name, SealedSecret sealed, int limit, Instant now) {
        return pool.withTransaction(tx -> tx.preparedQuery("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
                .execute(Tuple.of("secrets:" + tenant))
                .chain(() -> tx.preparedQuery("SELECT count(*), coalesce(bool_or(name = $2), false) "
                        + "FROM tenant_secrets WHERE tenant_id = $1").execute(Tuple.of(tenant, name)))
                .chain(rows -> {
                    Row row = rows.iterator().next();
                    boolean exists = row.getBoolean(1);
                    if (!exists && row.getLong(0) >= limit) {
                        return Uni.createFrom().item(new Put(false, null));
                    }
                    return tx.preparedQuery("INSERT INTO tenant_secrets (tenant_id, name, key_id, nonce, ciphertext, "
                            + "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) "
                            + "ON CONFLICT (tenant_id, name) DO UPDATE SET key_id = excluded.key_id, "
                            + "nonce = excluded.nonce, ciphertext = excluded.ciphertext, updated_at = excluded.updated_at "
                            + "RETURNING created_at, updated_at")
                            .execute(Tuple.of(tenant, name, sealed.keyId(), Buffer.buffer(sealed.nonce()),
                                    Buffer.buffer(sealed.ciphertext()), now.atOffset(ZoneOffset.UTC)))
                            .map(stored -> {
                                Row written = stored.iterator().next();
                                return new Put(!exists, new SecretSummary(name,
                                        WorkflowRepository.instant(written, 0), WorkflowRepository.instant(written, 1)));
                            });
                }));
    }

    /** The tenant's secrets in name order after {@code after} (null: from the start). */
    public Uni<List<SecretSummary>> page(UUID tenant, String after, int limit) {
        return pool.preparedQuery("SELECT name, created_at, updated_at FROM tenant_secrets "
                + "WHERE tenant_id = $1 AND ($2::text IS NULL OR name > $2) ORDER BY name LIMIT $3")
                .execute(Tuple.of(tenant, after, limit))
                .map(rows -> {
                    List<SecretSummary> page = new ArrayList<>();
                    for (Row row : rows) {
                        page.add(new SecretSummary(row.getString(0), WorkflowRepository.instant(row, 1),
                                WorkflowRepository.instant(row, 2)));
                    }
                    return page;
                });
    }

    public Uni<Boolean> delete(UUID tenant, String name) {
        return pool.preparedQuery("DELETE FROM tenant_secrets WHERE tenant_id = $1 AND name = $2")
                .execute(Tuple.of(tenant, name))
                .map(rows -> rows.rowCount() == 1);
    }

    /** The tenant's sealed secrets among {@code names}, by name; names it has not stored are absent. */
    public Uni<Map<String, SealedSecret>> sealed(UUID tenant, Collection<String> names) {
        return pool.preparedQuery("SELECT name, key_id, nonce, ciphertext FROM tenant_secrets "
                + "WHERE tenant_id = $1 AND name = ANY($2)")
                .execute(Tuple.of(tenant, names.toArray(String[]::new)))
                .map(rows -> {
                    Map<String, SealedSecret> found = new HashMap<>();
                    for (Row row : rows) {
                        found.put(row.getString(0), sealed(row, 1));
                    }
                    return found;
                });
    }

    /** Up to {@code limit} secrets sealed with another key than {@code activeKey}, of any tenant. */
    public Uni<List<Stored>> sealedWithOtherKey(String activeKey, int limit) {
        return pool.preparedQuery("SELECT tenant_id, name, key_id, nonce, ciphertext FROM tenant_secrets "
                + "WHERE key_id <> $1 LIMIT $2")
                .execute(Tuple.of(activeKey, limit))
                .map(rows -> {
                    List<Stored> stale = new ArrayList<>();
                    for (Row row : rows) {
                        stale.add(new Stored(row.getUUID(0), row.getString(1), sealed(row, 2)));
                    }
                    return stale;
                });
    }

    /**
     * Replaces a re-encrypted value, unless the secret changed since it was read (a put in between wins): whether it
     * was replaced.
     */
    public Uni<Boolean> reseal(Stored before, SealedSecret after) {
        return pool.preparedQuery("UPDATE tenant_secrets SET key_id = $3, nonce = $4, ciphertext = $5 "
                + "WHERE tenant_id = $1 AND name = $2 AND key_id = $6 AND nonce = $7")
                .execute(Tuple.from(List.<Object>of(before.tenant(), before.name(), after.keyId(),
                        Buffer.buffer(after.nonce()), Buffer.buffer(after.ciphertext()), before.sealed().keyId(),
                        Buffer.buffer(before.sealed().nonce()))))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Secrets per key id, platform-wide: how far a re-encryption is. */
    public Uni<Map<String, Long>> countByKey() {
        return pool.query("SELECT key_id, count(*) FROM tenant_secrets GROUP BY key_id").execute()
                .map(rows -> {
                    Map<String, Long> counts = new HashMap<>();
                    for (Row row : rows) {
                        counts.put(row.getString(0), row.getLong(1));
                    }
                    return counts;
                });
    }

    private static SealedSecret sealed(Row row, int from) {
        return new SealedSecret(row.getString(from), row.getBuffer(from + 1).getBytes(),
                row.getBuffer(from + 2).getBytes());
    }
}
