package io.nexus.marketplace.repository;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.nexus.marketplace.domain.SearchQuery;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** Runs the marketplace's search statement ({@link SearchStatement}: what it does and why). */
@ApplicationScoped
public class ItemSearch {

    public Uni<SearchRows> search(SqlConnection tx, SearchQuery query, int typoFallbackBelow, double typoSimilarity) {
        SearchStatement statement = SearchStatement.of(query, typoFallbackBelow);
        if (query.text() == null) {
            return run(tx, statement, query);
        }
        // The word-similarity threshold of <% is a setting: local to this transaction.
        return tx.preparedQuery("SELECT set_config('pg_trgm.word_similarity_threshold', $1, true)")
                .execute(Tuple.of(Double.toString(typoSimilarity)))
                .chain(() -> run(tx, statement, query));
    }

    private static Uni<SearchRows> run(SqlConnection tx, SearchStatement statement, SearchQuery query) {
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
