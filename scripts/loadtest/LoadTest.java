// Open-loop load against a Nexus gateway, driven by scripts/load-test (which creates the tenant, key, workflow and
// session it names, and deletes the tenant afterwards). No dependencies: run with the JDK source launcher, Java 17+.
//
//   java scripts/loadtest/LoadTest.java --url http://127.0.0.1:8000 --key KEY --workflow load-test-price \
//        --session SESSION_ID --rate 20 --duration 10 [--warmup 2] [--p95-ms 200] [--p99-ms 500] [--errors-pct 1]
//
// Open loop: request i is due at start + i / rate, whatever happened to the earlier ones, and its latency runs from
// its due time to the end of its answer, so a slow server shows as latency instead of lowering the offered rate
// (the coordinated-omission trap of closed-loop tools). The mix, in a fixed shuffled cycle of 20 slots:
//   5 GET  /api/v1/workflows                          channel api or cli (alternating)
//   5 POST /api/v1/workflows/{name}/executions        sync start, channel api or cli; must answer "completed"
//   3 POST /mcp tools/call                            the workflow as an MCP tool (channel mcp); must not be isError
//   2 GET  /api/v1/sessions/{id}                      channel cli or api
//   2 POST /api/v1/sessions                           channel cli (ttlSeconds 60)
//   3 GET  /api/v1/marketplace/items?q=...            channel api or cli
// An error is an I/O failure, a timeout (30 s), an unexpected status or an answer that is not what the route
// promises. Requests due during --warmup are sent but not counted.
//
// Output (stdout): one row per route (requests, errors, error %, p50/p95/p99/max in ms) and the total, the requests
// per channel, then one "ok - ..." / "not ok - ..." line per SLO (p95, p99, error rate; for the total and for each
// route) and a line
//   RESULT requests=.. rate=.. errors=.. error_pct=.. p50=.. p95=.. p99=.. max=.. slo=pass|fail
// Exit status: 0 when every SLO holds, 1 when one does not, 2 on a usage or set-up error.
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

public class LoadTest {

    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final String[] QUERIES = {"price", "invoice", "report", "sync", "alert"};

    record Options(String url, String key, String workflow, String session, double rate, double duration,
                   double warmup, double p95Ms, double p99Ms, double errorsPct) {}

    /** One kind of request; {@code build} gets the request's sequence number (to vary channel and inputs). */
    record Route(String name, java.util.function.IntFunction<HttpRequest> build, int expectedStatus,
                 Predicate<String> bodyOk) {}

    /** What one request ended with: latency from its due time, in nanoseconds, or an error. */
    record Outcome(Route route, String channel, long nanos, boolean error) {}

    public static void main(String[] args) throws Exception {
        Options o = parse(args);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).executor(Executors.newFixedThreadPool(4)).build();
        String mcpSession = initializeMcp(client, o);
        List<Route> cycle = cycle(routes(o, mcpSession));
        System.exit(run(client, o, cycle));
    }

    static Options parse(String[] args) {
        Map<String, String> v = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) usage("bad argument: " + args[i]);
            v.put(args[i].substring(2), args[++i]);
        }
        for (String required : List.of("url", "key", "workflow", "session")) {
            if (!v.containsKey(required)) usage("--" + required + " is required");
        }
        try {
            Options o = new Options(v.remove("url").replaceAll("/+$", ""), v.remove("key"), v.remove("workflow"),
                    v.remove("session"), num(v.remove("rate"), 20), num(v.remove("duration"), 10),
                    num(v.remove("warmup"), 2), num(v.remove("p95-ms"), 200), num(v.remove("p99-ms"), 500),
                    num(v.remove("errors-pct"), 1));
            if (!v.isEmpty()) usage("unknown arguments: " + v.keySet());
            if (o.rate() <= 0 || o.duration() <= 0 || o.warmup() < 0) usage("rate and duration must be > 0");
            return o;
        } catch (NumberFormatException e) {
            usage("not a number: " + e.getMessage());
            return null;
        }
    }

    static double num(String value, double fallback) { return value == null ? fallback : Double.parseDouble(value); }

    static void usage(String error) {
        System.err.println("error: " + error);
        System.err.println("usage: java LoadTest.java --url BASE --key KEY --workflow NAME --session ID [--rate R]"
                + " [--duration S] [--warmup S] [--p95-ms MS] [--p99-ms MS] [--errors-pct P]");
        System.exit(2);
    }

    static HttpRequest.Builder request(Options o, String path, String channel) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(o.url() + path)).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + o.key());
        return channel == null ? b : b.header("X-Nexus-Channel", channel);
    }

    static HttpRequest.BodyPublisher json(String body) { return HttpRequest.BodyPublishers.ofString(body); }

    static String channel(int i, String first, String second) { return i % 2 == 0 ? first : second; }

    static List<Route> routes(Options o, String mcpSession) {
        String executions = "/api/v1/workflows/" + o.workflow() + "/executions";
        return List.of(
                new Route("GET /api/v1/workflows",
                        i -> request(o, "/api/v1/workflows?limit=20", channel(i, "api", "cli")).GET().build(),
                        200, body -> body.contains("\"items\"")),
                new Route("POST /api/v1/workflows/{name}/executions",
                        i -> request(o, executions, channel(i, "api", "cli")).header("Content-Type", "application/json")
                                .POST(json("{\"inputs\": {\"n\": " + (i % 1000) + "}}")).build(),
                        200, body -> body.contains("\"status\":\"completed\"")),
                new Route("POST /mcp tools/call",
                        i -> request(o, "/mcp", null).header("Content-Type", "application/json")
                                .header("Accept", "application/json, text/event-stream")
                                .header("Mcp-Session-Id", mcpSession)
                                .POST(json("{\"jsonrpc\":\"2.0\",\"id\":" + i + ",\"method\":\"tools/call\",\"params\":"
                                        + "{\"name\":\"" + o.workflow() + "\",\"arguments\":{\"n\":" + (i % 1000) + "}}}"))
                                .build(),
                        200, body -> body.contains("\"result\"") && body.contains("\"isError\":false")),
                new Route("GET /api/v1/sessions/{id}",
                        i -> request(o, "/api/v1/sessions/" + o.session(), channel(i, "cli", "api")).GET().build(),
                        200, body -> body.contains("\"id\":\"" + o.session() + "\"")),
                new Route("POST /api/v1/sessions",
                        i -> request(o, "/api/v1/sessions", "cli").header("Content-Type", "application/json")
                                .POST(json("{\"userId\": \"load-" + i + "\", \"ttlSeconds\": 60}")).build(),
                        201, body -> body.contains("\"id\"")),
                new Route("GET /api/v1/marketplace/items",
                        i -> request(o, "/api/v1/marketplace/items?q="
                                + URLEncoder.encode(QUERIES[i % QUERIES.length], StandardCharsets.UTF_8),
                                channel(i, "api", "cli")).GET().build(),
                        200, body -> body.contains("\"total\"")));
    }

    /** The 20-slot mix in a fixed shuffled order (seeded: every run sends the same sequence). */
    static List<Route> cycle(List<Route> routes) {
        int[] weights = {5, 5, 3, 2, 2, 3};
        List<Route> cycle = new ArrayList<>();
        for (int r = 0; r < routes.size(); r++) {
            for (int w = 0; w < weights[r]; w++) cycle.add(routes.get(r));
        }
        Collections.shuffle(cycle, new Random(16));
        return cycle;
    }

    /** The MCP handshake (initialize, then notifications/initialized); answers the Mcp-Session-Id. */
    static String initializeMcp(HttpClient client, Options o) throws Exception {
        HttpResponse<String> init = client.send(request(o, "/mcp", null).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(json("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                        + "\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"nexus-load-test\",\"version\":\"1\"}}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        String session = init.headers().firstValue("Mcp-Session-Id").orElse(null);
        if (init.statusCode() != 200 || session == null) {
            System.err.println("error: MCP initialize answered " + init.statusCode() + ": " + init.body());
            System.exit(2);
        }
        client.send(request(o, "/mcp", null).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream").header("Mcp-Session-Id", session)
                .POST(json("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}")).build(),
                HttpResponse.BodyHandlers.discarding());
        return session;
    }

    static int run(HttpClient client, Options o, List<Route> cycle) throws InterruptedException {
        int warmupCount = (int) Math.round(o.rate() * o.warmup());
        int total = warmupCount + (int) Math.round(o.rate() * o.duration());
        long interval = (long) (1e9 / o.rate());
        ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        CountDownLatch done = new CountDownLatch(total);
        long start = System.nanoTime() + 50_000_000L;
        for (int i = 0; i < total; i++) {
            long due = start + i * interval;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
            Route route = cycle.get(i % cycle.size());
            boolean measured = i >= warmupCount;
            HttpRequest request = route.build().apply(i);
            String channel = route.name().contains("/mcp") ? "mcp" : request.headers().firstValue("X-Nexus-Channel").orElse("api");
            client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
                long nanos = System.nanoTime() - due;
                boolean error = failure != null || response.statusCode() != route.expectedStatus()
                        || !route.bodyOk().test(response.body());
                if (measured) outcomes.add(new Outcome(route, channel, nanos, error));
                done.countDown();
            });
        }
        long sendingEnded = System.nanoTime();
        boolean allAnswered = done.await(TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
        double seconds = (sendingEnded - (start + warmupCount * interval)) / 1e9;
        return report(o, cycle, new ArrayList<>(outcomes), total - warmupCount, seconds, allAnswered);
    }

    static int report(Options o, List<Route> cycle, List<Outcome> outcomes, int expected, double seconds,
                      boolean allAnswered) {
        Map<String, List<Outcome>> byRoute = new LinkedHashMap<>();
        cycle.stream().map(Route::name).distinct().sorted().forEach(name -> byRoute.put(name, new ArrayList<>()));
        outcomes.forEach(outcome -> byRoute.get(outcome.route().name()).add(outcome));
        int unanswered = expected - outcomes.size();
        System.out.printf(Locale.ROOT, "%-42s %8s %7s %7s %8s %8s %8s %8s%n", "route", "requests", "errors", "error%",
                "p50 ms", "p95 ms", "p99 ms", "max ms");
        List<String> checks = new ArrayList<>();
        byRoute.forEach((name, routeOutcomes) -> row(o, name, routeOutcomes, 0, checks));
        row(o, "total", outcomes, unanswered, checks);
        Map<String, Long> channels = new java.util.TreeMap<>();
        outcomes.forEach(outcome -> channels.merge(outcome.channel(), 1L, Long::sum));
        System.out.println("channels: " + channels);
        if (!allAnswered) checks.add("not ok - " + unanswered + " requests still unanswered after " + TIMEOUT.toSeconds() + " s");
        boolean pass = checks.stream().noneMatch(line -> line.startsWith("not ok"));
        checks.forEach(System.out::println);
        Stats total = Stats.of(outcomes, unanswered);
        System.out.printf(Locale.ROOT, "RESULT requests=%d rate=%.1f errors=%d error_pct=%.2f p50=%.1f p95=%.1f p99=%.1f"
                        + " max=%.1f slo=%s%n", expected, outcomes.size() / Math.max(seconds, 1e-9), total.errors,
                total.errorPct, total.p50, total.p95, total.p99, total.max, pass ? "pass" : "fail");
        return pass ? 0 : 1;
    }

    /** Prints a table row and adds the SLO lines of these outcomes. */
    static void row(Options o, String name, List<Outcome> outcomes, int unanswered, List<String> checks) {
        Stats s = Stats.of(outcomes, unanswered);
        System.out.printf(Locale.ROOT, "%-42s %8d %7d %7.2f %8.1f %8.1f %8.1f %8.1f%n", name, s.count, s.errors,
                s.errorPct, s.p50, s.p95, s.p99, s.max);
        slo(checks, s.count > 0, name + ": requests answered (" + s.count + ")");
        slo(checks, s.p95 < o.p95Ms(), String.format(Locale.ROOT, "%s: p95 %.1f ms < %.0f ms", name, s.p95, o.p95Ms()));
        slo(checks, s.p99 < o.p99Ms(), String.format(Locale.ROOT, "%s: p99 %.1f ms < %.0f ms", name, s.p99, o.p99Ms()));
        slo(checks, s.errorPct < o.errorsPct(),
                String.format(Locale.ROOT, "%s: errors %.2f %% < %.0f %%", name, s.errorPct, o.errorsPct()));
    }

    static void slo(List<String> checks, boolean ok, String description) {
        checks.add((ok ? "ok - " : "not ok - ") + description);
    }

    /** Nearest-rank percentiles over every answered request (errors included: a slow failure is still slow). */
    record Stats(int count, int errors, double errorPct, double p50, double p95, double p99, double max) {
        static Stats of(List<Outcome> outcomes, int unanswered) {
            long[] nanos = outcomes.stream().mapToLong(Outcome::nanos).sorted().toArray();
            int errors = (int) outcomes.stream().filter(Outcome::error).count() + unanswered;
            int count = nanos.length + unanswered;
            return new Stats(count, errors, count == 0 ? 0 : 100.0 * errors / count, ms(nanos, 0.50), ms(nanos, 0.95),
                    ms(nanos, 0.99), ms(nanos, 1.0));
        }

        static double ms(long[] sorted, double quantile) {
            if (sorted.length == 0) return Double.NaN;
            return sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1))] / 1e6;
        }
    }
}
