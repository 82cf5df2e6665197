// The query plans of marketplace searches, for benchmarks/marketplace.sh: for each given "kind<TAB>query string"
// line, prints a psql script that prepares the very statement marketplace-service runs for that query
// (io.nexus.marketplace.repository.SearchStatement, from the service's compiled classes) and runs
// EXPLAIN (ANALYZE, BUFFERS) on it with the query's values. Run with the JDK source launcher:
//
//   java -cp marketplace-service/target/classes benchmarks/marketplace/SearchPlans.java TYPO_BELOW SIMILARITY < lines
//
// TYPO_BELOW and SIMILARITY are the service's nexus.marketplace.search.typo-fallback-below and typo-similarity (the
// fallback applies to plain words only, as SearchService decides).
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.nexus.marketplace.domain.SearchQuery;
import io.nexus.marketplace.domain.SearchSort;
import io.nexus.marketplace.repository.SearchStatement;

public class SearchPlans {

    public static void main(String[] args) throws Exception {
        int typoBelow = Integer.parseInt(args[0]);
        double similarity = Double.parseDouble(args[1]);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        int n = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String[] parts = line.split("\t", 2);
            SearchQuery query = query(parts[1]);
            SearchStatement statement = SearchStatement.of(query, query.plainWords() ? typoBelow : 0,
                    similarity);
            String name = "plan_" + (++n);
            System.out.println("\\echo '=== " + parts[0] + ": " + URLDecoder.decode(parts[1], StandardCharsets.UTF_8)
                    .replace("'", "") + "'");
            System.out.println("PREPARE " + name + " AS " + statement.sql() + ";");
            List<String> values = new ArrayList<>();
            for (Object param : statement.params()) {
                values.add(literal(param));
            }
            System.out.println("EXPLAIN (ANALYZE, BUFFERS) EXECUTE " + name + "(" + String.join(", ", values) + ");");
            System.out.println("DEALLOCATE " + name + ";");
        }
    }

    static SearchQuery query(String queryString) {
        Map<String, String> q = new HashMap<>();
        for (String pair : queryString.split("&")) {
            String[] kv = pair.split("=", 2);
            q.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return new SearchQuery(q.get("q"), q.get("category"), q.get("tag"), q.get("license"),
                q.containsKey("minRating") ? Double.valueOf(q.get("minRating")) : null,
                q.containsKey("publisher") ? UUID.fromString(q.get("publisher")) : null,
                SearchSort.ofWire(q.getOrDefault("sort", "relevance")).orElseThrow(), 20, 0);
    }

    static String literal(Object value) {
        if (value instanceof String[] array) {
            List<String> quoted = new ArrayList<>();
            for (String element : array) {
                quoted.add("\"" + element.replace("\"", "\\\"") + "\"");
            }
            return text("{" + String.join(",", quoted) + "}");
        }
        if (value instanceof Number) {
            return value.toString();
        }
        return text(String.valueOf(value));
    }

    static String text(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
