package io.nexus.marketplace.repository;

import static io.nexus.marketplace.repository.Timestamps.instant;

import java.util.Arrays;
import java.util.List;

import io.nexus.marketplace.domain.Item;
import io.nexus.marketplace.domain.ItemVersion;
import io.nexus.marketplace.domain.Review;
import io.vertx.mutiny.sqlclient.Row;

/** The columns the repositories select, and the records they become. */
final class Rows {

    static final String ITEM_COLUMNS = "i.id, i.tenant_id, i.name, i.summary, i.description, i.categories, i.tags, "
            + "i.license, i.workflow, i.latest_version, i.created_at, i.updated_at";
    static final int ITEM_COLUMN_COUNT = 12;
    static final String STATS_COLUMNS = "s.rating_count, s.rating_avg::float8, s.rating_1, s.rating_2, s.rating_3, "
            + "s.rating_4, s.rating_5, s.installs, s.trend_log";
    static final String VERSION_COLUMNS = "item_id, version, workflow_version, published_at, yanked_at";
    static final String REVIEW_COLUMNS = "id, item_id, tenant_id, rating, comment, verified, created_at, updated_at";

    private Rows() {
    }

    static Item item(Row row) {
        return new Item(row.getUUID(0), row.getUUID(1), row.getString(2), row.getString(3), row.getString(4),
                strings(row.getArrayOfStrings(5)), strings(row.getArrayOfStrings(6)), row.getString(7),
                row.getString(8), row.getString(9), instant(row.getOffsetDateTime(10)),
                instant(row.getOffsetDateTime(11)));
    }

    /** The stats columns starting at {@code first}. */
    static StoredStats stats(Row row, int first) {
        Double average = row.getDouble(first + 1);
        List<Integer> distribution = List.of(row.getInteger(first + 2), row.getInteger(first + 3),
                row.getInteger(first + 4), row.getInteger(first + 5), row.getInteger(first + 6));
        return new StoredStats(row.getInteger(first), average, distribution, row.getLong(first + 7),
                row.getDouble(first + 8));
    }

    /** A version's listing columns, and its definition when the query selected it after them. */
    static ItemVersion version(Row row, boolean withDefinition) {
        return new ItemVersion(row.getUUID(0), row.getString(1), row.getInteger(2),
                withDefinition ? row.getString(5) : null, instant(row.getOffsetDateTime(3)),
                instant(row.getOffsetDateTime(4)));
    }

    static Review review(Row row) {
        return new Review(row.getUUID(0), row.getUUID(1), row.getUUID(2), row.getInteger(3), row.getString(4),
                row.getBoolean(5), instant(row.getOffsetDateTime(6)), instant(row.getOffsetDateTime(7)));
    }

    private static List<String> strings(String[] values) {
        return values == null ? List.of() : Arrays.asList(values);
    }
}
