package io.nexus.marketplace.repository;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.nexus.marketplace.domain.SearchQuery;
import io.nexus.marketplace.domain.SearchSort;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The marketplace's search, one statement (marketplace-service/README.md, "How search works"):
 * <ol>
 * <li>{@code matched}: items whose {@code search} tsvector (name A, summary and tags B, description C, english
 * stemming; GIN index) matches {@code websearch_to_tsquery}, ranked by {@code ts_rank_cd} normalized by length
 * (flag 32: rank / (rank + 1));</li>
 * <li>{@code typos}: only when {@code matched} has fewer than the configured number of items, items whose name,
 * summary, tags and description are close to the query by trigrams ({@code <%}, pg_trgm's word similarity, GIN
 * index), ranked by that similarity, after every full-text match;</li>
 * <li>the page in the requested order, each order ending with the newest first, with the total from a window count,
 * and {@code ts_headline} snippets computed for the page's rows only.</li>
 * </ol>
 * Filters apply in both branches. Only items with a version that is not yanked are listed.
 */
@ApplicationScoped
public class ItemSearch {

    private static final String HEADLINE_OPTIONS = "StartSel=**, StopSel=**, MaxWords=30, MinWords=10, "
            + "MaxFragments=2, FragmentDelimiter=\" … \"";

    public Uni<SearchRows> search(SqlConnection tx, SearchQuery query, int typoFallbackBelow, double typoSimilarity) {
        List<Object> params = new ArrayList<>();
        String filters = filters(query, params);
        String sql;
        if (query.text() == null) {
            sql = "WITH hits AS (SELECT i.id, 0 AS tier, 0::float4 AS rank FROM items i "
                    + "JOIN item_stats s ON s.item_id = i.id WHERE " + filters + ") "
                    + page(query, params, null);
            return run(tx, sql, params, query);
        }
        params.add(query.text());
        String text = "$" + params.size();
        params.add(typoFallbackBelow);
        String below = "$" + params.size();
        sql = "WITH query AS (SELECT websearch_to_tsquery('english', " + text + ") AS tsq), "
                + "matched AS (SELECT i.id, 0 AS tier, ts_rank_cd(i.search, query.tsq, 32) AS rank "
                + "  FROM items i JOIN item_stats s ON s.item_id = i.id, query "
                + "  WHERE i.search @@ query.tsq AND " + filters + "), "
                + "typos AS (SELECT i.id, 1 AS tier, word_similarity(" + text + ", i.fuzzy_text) AS rank "
                + "  FROM items i JOIN item_stats s ON s.item_id = i.id "
                + "  WHERE (SELECT count(*) FROM matched) < " + below + " AND " + text + " <% i.fuzzy_text AND "
                + filters + " AND NOT EXISTS (SELECT 1 FROM matched m WHERE m.id = i.id)), "
                + "hits AS (SELECT * FROM matched UNION ALL SELECT * FROM typos) "
                + page(query, params, text);
        // The word-similarity threshold of <% is a setting: local to this transaction.
        return tx.preparedQuery("SELECT set_config('pg_trgm.word_similarity_threshold', $1, true)")
                .execute(Tuple.of(Double.toString(typoSimilarity)))
                .chain(() -> run(tx, sql, params, query));
    }

    private static String filters(SearchQuery query, List<Object> params) {
        List<String> conditions = new ArrayList<>();
        conditions.add("i.latest_version IS NOT NULL");
        if (query.category() != null) {
            params.add(new String[] { query.category() });
            conditions.add("i.categories @> $" + params.size() + "::text[]");
        }
        if (query.tag() != null) {
            params.add(new String[] { query.tag() });
            conditions.add("i.tags @> $" + params.size() + "::text[]");
        }
        if (query.license() != null) {
            params.add(query.license());
            conditions.add("i.license = $" + params.size());
        }
        if (query.minRating() != null) {
            params.add(query.minRating());
            conditions.add("s.rating_avg >= $" + params.size() + "::numeric");
        }
        if (query.publisher() != null) {
            params.add(query.publisher());
            conditions.add("i.tenant_id = $" + params.size());
        }
        return String.join(" AND ", conditions);
    }

    /** The ordered page over {@code hits}, with snippets when there is a query text ({@code text}, its parameter). */
    private static String page(SearchQuery query, List<Object> params, String text) {
        params.add(query.limit());
        String limit = "$" + params.size();
        params.add(query.offset());
        String offset = "$" + params.size();
        String snippet = text == null ? "NULL::text"
                : "ts_headline('english', p.summary || coalesce(' ' || p.description, ''), "
                        + "websearch_to_tsquery('english', " + text + "), '" + HEADLINE_OPTIONS + "')";
        return "SELECT p.*, " + snippet + " AS snippet FROM ("
                + "  SELECT " + Rows.ITEM_COLUMNS + ", " + Rows.STATS_COLUMNS + ", count(*) OVER () AS total, "
                + "         row_number() OVER (ORDER BY " + order(query.sort()) + ") AS position "
                + "  FROM hits h JOIN items i ON i.id = h.id JOIN item_stats s ON s.item_id = h.id "
                + "  ORDER BY position LIMIT " + limit + " OFFSET " + offset + ") p "
                + "ORDER BY p.position";
    }

    /** Typo matches come after full-text matches in every order; every order ends with the newest. */
    private static String order(SearchSort sort) {
        String newest = "i.created_at DESC, i.id DESC";
        return "h.tier, " + switch (sort) {
            case RELEVANCE -> "h.rank DESC, " + newest;
            case RATING -> "s.rating_avg DESC NULLS LAST, s.rating_count DESC, " + newest;
            case INSTALLS -> "s.installs DESC, " + newest;
            case NEWEST -> newest;
            case TRENDING -> "s.trend_log DESC NULLS LAST, " + newest;
        };
    }

    private static Uni<SearchRows> run(SqlConnection tx, String sql, List<Object> params, SearchQuery query) {
        return tx.preparedQuery(sql).execute(Tuple.from(params.toArray())).chain(rows -> {
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
            String count = sql.substring(0, sql.indexOf(" SELECT p.*")) + " SELECT count(*) FROM hits";
            return tx.preparedQuery(count).execute(Tuple.from(params.subList(0, params.size() - 2).toArray()))
                    .map(counted -> new SearchRows(found, counted.iterator().next().getLong(0)));
        });
    }

    /** What the statement answers: the page's items with their stored statistics and snippets, and the total. */
    public record SearchRows(List<Found> found, long total) {

        public record Found(io.nexus.marketplace.domain.Item item, StoredStats stats, String snippet) {
        }
    }
}
