// Search load for benchmarks/marketplace.sh: GET {url}/api/v1/marketplace/items?{query} over the mixed queries of
// queries.tsv (Catalog.java), cycling through them in file order (shuffled there), with one header (the API key, or
// a signed identity for direct calls). No dependencies: run with the JDK source launcher (Java 17+).
//
//   java SearchLoad.java open   URL QUERIES HEADER-NAME HEADER-VALUE RATE WARMUP_S DURATION_S CONNECTIONS
//   java SearchLoad.java closed URL QUERIES HEADER-NAME HEADER-VALUE CONCURRENCY WARMUP_S DURATION_S
//
// open: request i is due at start + i / RATE, whatever the answers do, and goes out on the next free one of
//   CONNECTIONS keep-alive connections (a thread each); its latency counts from its due time, so waiting for a
//   connection counts too (no coordinated omission, as wrk2 measures).
// closed: CONCURRENCY threads each send the next query as soon as the previous one answered: maximum throughput.
// Each answer must be 200 with a JSON body holding "total"; anything else counts as an error.
// Output: one line per query kind and one for all, on stdout:
//   RESULT kind=.. n=.. rate=.. p50=.. p99=.. max=.. errors=..   (milliseconds; rate = answered per second)
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

public class SearchLoad {

    static final long UNANSWERED = Long.MIN_VALUE;
    static final long FAILED = Long.MIN_VALUE + 1;

    record Query(String kind, URI uri) {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        String base = args[1];
        List<Query> queries = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[2]))) {
            String[] parts = line.split("\t", 2);
            queries.add(new Query(parts[0], URI.create(base + "/api/v1/marketplace/items?" + parts[1])));
        }
        String header = args[3];
        String value = args[4];
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        if (mode.equals("open")) {
            open(client, queries, header, value, Double.parseDouble(args[5]), Integer.parseInt(args[6]),
                    Integer.parseInt(args[7]), Integer.parseInt(args[8]));
        } else {
            closed(client, queries, header, value, Integer.parseInt(args[5]), Integer.parseInt(args[6]),
                    Integer.parseInt(args[7]));
        }
    }

    static void open(HttpClient client, List<Query> queries, String header, String value, double rate, int warmup,
            int duration, int connections) throws InterruptedException {
        int total = (int) (rate * (warmup + duration));
        int measuredFrom = (int) (rate * warmup);
        long[] latencies = new long[total];
        Arrays.fill(latencies, UNANSWERED);
        BlockingQueue<long[]> due = new ArrayBlockingQueue<>(total + connections);
        Thread[] workers = new Thread[connections];
        for (int c = 0; c < connections; c++) {
            workers[c] = new Thread(() -> {
                try {
                    for (long[] next = due.take(); next[0] >= 0; next = due.take()) {
                        int i = (int) next[0];
                        latencies[i] = send(client, queries.get(i % queries.size()), header, value)
                                ? System.nanoTime() - next[1] : FAILED;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            workers[c].setDaemon(true);
            workers[c].start();
        }
        long interval = (long) (1e9 / rate);
        long start = System.nanoTime() + 50_000_000L;
        for (int i = 0; i < total; i++) {
            long at = start + i * interval;
            long wait;
            while ((wait = at - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            due.put(new long[] { i, at });
        }
        for (int c = 0; c < connections; c++) {
            due.put(new long[] { -1, 0 });
        }
        for (Thread worker : workers) {
            worker.join(30_000);
        }
        report(queries, latencies, measuredFrom, total, duration);
    }

    static void closed(HttpClient client, List<Query> queries, String header, String value, int concurrency,
            int warmup, int duration) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        int capacity = 5_000_000;
        long[] latencies = new long[capacity];
        int[] which = new int[capacity];
        Arrays.fill(latencies, UNANSWERED);
        long measuredStart = System.nanoTime() + warmup * 1_000_000_000L;
        long end = measuredStart + duration * 1_000_000_000L;
        AtomicInteger measured = new AtomicInteger();
        Thread[] workers = new Thread[concurrency];
        for (int c = 0; c < concurrency; c++) {
            workers[c] = new Thread(() -> {
                for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
                    int q = next.getAndIncrement();
                    boolean ok = send(client, queries.get(q % queries.size()), header, value);
                    long done = System.nanoTime();
                    if (now >= measuredStart && done <= end) {
                        int slot = measured.getAndIncrement();
                        if (slot < capacity) {
                            latencies[slot] = ok ? done - now : FAILED;
                            which[slot] = q;
                        }
                    }
                }
            });
            workers[c].start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        int n = Math.min(measured.get(), capacity);
        List<Query> ordered = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ordered.add(queries.get(which[i] % queries.size()));
        }
        report(ordered, Arrays.copyOf(latencies, n), 0, n, duration);
    }

    static boolean send(HttpClient client, Query query, String header, String value) {
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(query.uri()).header(header, value)
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"total\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Per kind and for all: answered rate, percentiles of the answered ones, errors (failed or never answered). */
    static void report(List<Query> queries, long[] latencies, int from, int to, int seconds) {
        Map<String, List<Long>> byKind = new LinkedHashMap<>();
        Map<String, Integer> errors = new LinkedHashMap<>();
        byKind.put("all", new ArrayList<>());
        errors.put("all", 0);
        for (int i = from; i < to; i++) {
            String kind = queries.get(i % queries.size()).kind();
            byKind.computeIfAbsent(kind, k -> new ArrayList<>());
            errors.putIfAbsent(kind, 0);
            if (latencies[i] == UNANSWERED || latencies[i] == FAILED) {
                errors.merge(kind, 1, Integer::sum);
                errors.merge("all", 1, Integer::sum);
            } else {
                byKind.get(kind).add(latencies[i]);
                byKind.get("all").add(latencies[i]);
            }
        }
        for (Map.Entry<String, List<Long>> entry : byKind.entrySet()) {
            long[] sorted = entry.getValue().stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf("RESULT kind=%s n=%d rate=%.1f p50=%.2f p99=%.2f max=%.2f errors=%d%n", entry.getKey(),
                    sorted.length, sorted.length / (double) seconds, ms(percentile(sorted, 0.50)),
                    ms(percentile(sorted, 0.99)), ms(sorted.length == 0 ? 0 : sorted[sorted.length - 1]),
                    errors.get(entry.getKey()));
        }
    }

    static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }
}
