package io.nexus.marketplace.repository;

import static io.nexus.marketplace.repository.Timestamps.utc;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.nexus.marketplace.domain.Item;
import io.nexus.marketplace.domain.ItemVersion;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Items, their versions and their statistics rows in PostgreSQL ({@code items}, {@code item_versions}, {@code item_stats}). */
@ApplicationScoped
public class ItemRepository {

    public Uni<Void> insert(SqlClient tx, Item item) {
        return tx.preparedQuery("""
                INSERT INTO items (id, tenant_id, name, summary, description, categories, tags, license, workflow,
                                   latest_version, created_at, updated_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)""")
                .execute(Tuple.from(new Object[] { item.id(), item.publisher(), item.name(), item.summary(),
                        item.description(), item.categories().toArray(String[]::new),
                        item.tags().toArray(String[]::new), item.license(), item.workflow(), item.latestVersion(),
                        utc(item.createdAt()), utc(item.updatedAt()) }))
                .replaceWithVoid();
    }

    /** The statistics row every item has from its publication on. */
    public Uni<Void> insertStats(SqlClient tx, UUID itemId, Instant at) {
        return tx.preparedQuery("INSERT INTO item_stats (item_id, updated_at) VALUES ($1, $2)")
                .execute(Tuple.of(itemId, utc(at))).replaceWithVoid();
    }

    /** {@code definition} is the snapshot's JSON text. */
    public Uni<Void> insertVersion(SqlClient tx, ItemVersion version) {
        return tx.preparedQuery("""
                INSERT INTO item_versions (item_id, version, workflow_version, definition, published_at)
                VALUES ($1, $2, $3, $4::text::jsonb, $5)""")
                .execute(Tuple.of(version.itemId(), version.version(), version.workflowVersion(),
                        version.definition(), utc(version.publishedAt())))
                .replaceWithVoid();
    }

    public Uni<Optional<Item>> find(SqlClient client, UUID id) {
        return client.preparedQuery("SELECT " + Rows.ITEM_COLUMNS + " FROM items i WHERE i.id = $1")
                .execute(Tuple.of(id)).map(ItemRepository::firstItem);
    }

    /** The item, locked until the transaction ends: versions of one item are added and yanked one at a time. */
    public Uni<Optional<Item>> lock(SqlClient tx, UUID id) {
        return tx.preparedQuery("SELECT " + Rows.ITEM_COLUMNS + " FROM items i WHERE i.id = $1 FOR UPDATE")
                .execute(Tuple.of(id)).map(ItemRepository::firstItem);
    }

    /**
     * The item, share-locked until the transaction ends: an install reads its versions while no version of the item
     * can be yanked (yanking locks the item for update).
     */
    public Uni<Optional<Item>> share(SqlClient tx, UUID id) {
        return tx.preparedQuery("SELECT " + Rows.ITEM_COLUMNS + " FROM items i WHERE i.id = $1 FOR SHARE")
                .execute(Tuple.of(id)).map(ItemRepository::firstItem);
    }

    public Uni<StoredStats> stats(SqlClient client, UUID id) {
        return client.preparedQuery("SELECT " + Rows.STATS_COLUMNS + " FROM item_stats s WHERE s.item_id = $1")
                .execute(Tuple.of(id))
                .map(rows -> Rows.stats(rows.iterator().next(), 0));
    }

    /** Every version of the item, without the definitions. */
    public Uni<List<ItemVersion>> versions(SqlClient client, UUID id) {
        return client.preparedQuery("SELECT " + Rows.VERSION_COLUMNS + " FROM item_versions WHERE item_id = $1")
                .execute(Tuple.of(id))
                .map(rows -> {
                    List<ItemVersion> versions = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        versions.add(Rows.version(row, false));
                    }
                    return versions;
                });
    }

    /** One version with its definition. */
    public Uni<Optional<ItemVersion>> version(SqlClient client, UUID id, String version) {
        return client.preparedQuery("SELECT " + Rows.VERSION_COLUMNS + ", definition::text FROM item_versions "
                + "WHERE item_id = $1 AND version = $2")
                .execute(Tuple.of(id, version))
                .map(rows -> rows.size() == 0 ? Optional.empty()
                        : Optional.of(Rows.version(rows.iterator().next(), true)));
    }

    /** Marks a version yanked (a version yanked before keeps its time); empty when the item has no such version. */
    public Uni<Optional<ItemVersion>> yank(SqlClient tx, UUID id, String version, Instant at) {
        return tx.preparedQuery("UPDATE item_versions SET yanked_at = coalesce(yanked_at, $3) "
                + "WHERE item_id = $1 AND version = $2 RETURNING " + Rows.VERSION_COLUMNS)
                .execute(Tuple.of(id, version, utc(at)))
                .map(rows -> rows.size() == 0 ? Optional.empty()
                        : Optional.of(Rows.version(rows.iterator().next(), false)));
    }

    /** The item's latest installable version (null: none) after a version was added or yanked. */
    public Uni<Void> updateLatest(SqlClient tx, UUID id, String latestVersion, Instant at) {
        return tx.preparedQuery("UPDATE items SET latest_version = $2, updated_at = $3 WHERE id = $1")
                .execute(Tuple.of(id, latestVersion, utc(at))).replaceWithVoid();
    }

    private static Optional<Item> firstItem(RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(Rows.item(rows.iterator().next()));
    }
}
