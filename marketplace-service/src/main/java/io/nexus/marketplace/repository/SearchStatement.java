package io.nexus.marketplace.repository;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.nexus.marketplace.domain.SearchQuery;
import io.nexus.marketplace.domain.SearchSort;

/**
 * The one SQL statement of a marketplace search and its parameters (marketplace-service/README.md, "How search
 * works"), built apart from running it so that what runs can also be explained ({@code benchmarks/marketplace.sh}
 * prints the plans of these very statements):
 * <ol>
 * <li>{@code matched}: items whose {@code search} tsvector (name A, summary and tags B, description C, english
 * stemming; GIN index) matches {@code websearch_to_tsquery}, ranked by {@code ts_rank_cd} normalized by length
 * (flag 32: rank / (rank + 1));</li>
 * <li>{@code typos}: only when {@code matched} has fewer than {@code typoFallbackBelow} items, each word of the query
 * is replaced by the catalog's words ({@code search_words}: every word of every item's name, summary, tags and
 * description) whose trigram similarity to it is at least {@code typoSimilarity} (a GIN trigram index on a table of
 * a few thousand words), and the corrected query (alternatives OR-ed, words AND-ed) finds items through the same
 * full-text index, ranked likewise, after every full-text match;</li>
 * <li>the page in the requested order, each order ending with the newest first: each hit carries its sort keys, so
 * the order is a top-N sort of the narrow hits; the page's rows only are joined to their items and statistics and
 * get {@code ts_headline} snippets; the total is a count of the hits.</li>
 * </ol>
 * Filters apply in both branches. Only items with a version that is not yanked are listed. A hit reads its
 * statistics only for a {@code minRating} filter or an order by them (rating, installs, trending).
 *
 * @param sql the page: the items' columns, their statistics, {@code total} and {@code snippet}
 * @param params its parameters, the page's limit and offset last
 */
public record SearchStatement(String sql, List<Object> params) {

    private static final String HEADLINE_OPTIONS = "StartSel=**, StopSel=**, MaxWords=30, MinWords=10, "
            + "MaxFragments=2, FragmentDelimiter=\" … \"";
    private static final String PAGE_START = " SELECT " + Rows.ITEM_COLUMNS;
    /** What every order needs, carried by each hit so that ordering never joins the items again. */
    private static final String SORT_KEYS = "i.created_at, s.rating_avg, s.rating_count, s.installs, s.trend_log ";
    /** The same without statistics, for orders and filters that read none: no probe of item_stats per hit. */
    private static final String SORT_KEYS_WITHOUT_STATS = "i.created_at, NULL::numeric AS rating_avg, "
            + "NULL::integer AS rating_count, NULL::bigint AS installs, NULL::float8 AS trend_log ";

    public SearchStatement {
        params = Collections.unmodifiableList(params);
    }

    public static SearchStatement of(SearchQuery query, int typoFallbackBelow, double typoSimilarity) {
        List<Object> params = new ArrayList<>();
        String filters = filters(query, params);
        // Statistics are read per hit only when the order or a filter needs them; the page's rows always get theirs.
        boolean stats = query.minRating() != null || query.sort() == SearchSort.RATING
                || query.sort() == SearchSort.INSTALLS || query.sort() == SearchSort.TRENDING;
        String from = stats ? "items i JOIN item_stats s ON s.item_id = i.id" : "items i";
        String keys = stats ? SORT_KEYS : SORT_KEYS_WITHOUT_STATS;
        if (query.text() == null) {
            String sql = "WITH hits AS (SELECT i.id, 0 AS tier, 0::float4 AS rank, " + keys + " FROM " + from
                    + " WHERE " + filters + ") "
                    + page(query, params, null);
            return new SearchStatement(sql, params);
        }
        params.add(query.text());
        String text = "$" + params.size();
        params.add(typoFallbackBelow);
        String below = "$" + params.size();
        params.add(typoSimilarity);
        String similarity = "$" + params.size();
        String sql = "WITH query AS (SELECT websearch_to_tsquery('english', " + text + ") AS tsq), "
                + "matched AS (SELECT i.id, 0 AS tier, ts_rank_cd(i.search, query.tsq, 32) AS rank, " + keys
                + "  FROM " + from + ", query "
                + "  WHERE i.search @@ query.tsq AND " + filters + "), "
                // Only when matched is short: each query word's close catalog words (trigram index; % prefilters
                // at pg_trgm's default 0.3, the configured similarity decides).
                + "typo_words AS (SELECT q.n, w.word "
                + "  FROM regexp_split_to_table(lower(" + text + "), '[^[:alnum:]]+') WITH ORDINALITY AS q(word, n) "
                + "  JOIN search_words w ON w.word % q.word AND similarity(w.word, q.word) >= " + similarity
                + "::float4 WHERE (SELECT count(*) FROM matched) < " + below + " AND length(q.word) >= 3), "
                + "typo_query AS (SELECT tsquery_and_all(alternatives) AS tsq FROM ("
                + "  SELECT tsquery_or_all(plainto_tsquery('english', word)) AS alternatives FROM typo_words "
                + "  GROUP BY n) per_word), "
                + "typos AS (SELECT i.id, 1 AS tier, ts_rank_cd(i.search, typo_query.tsq, 32) AS rank, " + keys
                + "  FROM " + from + ", typo_query "
                + "  WHERE typo_query.tsq IS NOT NULL AND i.search @@ typo_query.tsq AND " + filters
                + "  AND NOT EXISTS (SELECT 1 FROM matched m WHERE m.id = i.id)), "
                + "hits AS (SELECT * FROM matched UNION ALL SELECT * FROM typos) "
                + page(query, params, text);
        return new SearchStatement(sql, params);
    }

    /** The count of every hit, for a page past the end (whose window counts nothing), and its parameters. */
    public SearchStatement countOfHits() {
        return new SearchStatement(sql.substring(0, sql.indexOf(PAGE_START)) + " SELECT count(*) FROM hits",
                params.subList(0, params.size() - 2));
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

    /**
     * The ordered page over {@code hits}: the order and the limit on the narrow hits (a top-N sort), the items'
     * columns, statistics and snippets ({@code text}: the query text's parameter) for the page's rows only, and the
     * total counted over the hits.
     */
    private static String page(SearchQuery query, List<Object> params, String text) {
        params.add(query.limit());
        String limit = "$" + params.size();
        params.add(query.offset());
        String offset = "$" + params.size();
        String snippet = text == null ? "NULL::text"
                : "ts_headline('english', i.summary || coalesce(' ' || i.description, ''), "
                        + "websearch_to_tsquery('english', " + text + "), '" + HEADLINE_OPTIONS + "')";
        String order = order(query.sort());
        return PAGE_START.substring(1) + ", " + Rows.STATS_COLUMNS + ", (SELECT count(*) FROM hits) AS total, "
                + snippet + " AS snippet "
                + "FROM (SELECT * FROM hits h ORDER BY " + order + " LIMIT " + limit + " OFFSET " + offset + ") h "
                + "JOIN items i ON i.id = h.id JOIN item_stats s ON s.item_id = h.id "
                + "ORDER BY " + order;
    }

    /** Typo matches come after full-text matches in every order; every order ends with the newest. */
    private static String order(SearchSort sort) {
        String newest = "h.created_at DESC, h.id DESC";
        return "h.tier, " + switch (sort) {
            case RELEVANCE -> "h.rank DESC, " + newest;
            case RATING -> "h.rating_avg DESC NULLS LAST, h.rating_count DESC, " + newest;
            case INSTALLS -> "h.installs DESC, " + newest;
            case NEWEST -> newest;
            case TRENDING -> "h.trend_log DESC NULLS LAST, " + newest;
        };
    }
}
