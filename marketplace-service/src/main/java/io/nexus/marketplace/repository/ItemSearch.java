package io.nexus.marketplace.repository;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.nexus.marketplace.domain.SearchQuery;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Runs the marketplace's search statement ({@link SearchStatement}: what it does and why). */
@ApplicationScoped
public class ItemSearch {

    /** One statement, no transaction: a search reads only, and its settings are all parameters. */
    public Uni<SearchRows> search(SqlClient client, SearchQuery query, int typoFallbackBelow, double typoSimilarity) {
        return run(client, SearchStatement.of(query, typoFallbackBelow, typoSimilarity), query);
    }

    private static Uni<SearchRows> run(SqlClient tx, SearchStatement statement, SearchQuery query) {
        return tx.preparedQuery(statement.sql()).execute(Tuple.from(statement.params())).chain(rows -> {
            List<SearchRows.Found> found = new ArrayList<>(rows.size());
            long total = 0;
            for (Row row : rows) {
                found.add(new SearchRows.Found(Rows.item(row), Rows.stats(row, Rows.ITEM_COLUMN_COUNT),
                        row.getString("snippet")));
                total = row.getLong("total");
            }
            if (!found.isEmpty() || query.offset() == 0) {
                return Uni.createFrom().item(new SearchRows(found, total));
            }
            // A page past the end counts nothing in its window: count the hits on their own.
            SearchStatement count = statement.countOfHits();
            return tx.preparedQuery(count.sql()).execute(Tuple.from(count.params()))
                    .map(counted -> new SearchRows(found, counted.iterator().next().getLong(0)));
        });
    }

    /** What the statement answers: the page's items with their stored statistics and snippets, and the total. */
    public record SearchRows(List<Found> found, long total) {

        public record Found(io.nexus.marketplace.domain.Item item, StoredStats stats, String snippet) {
        }
    }
}
