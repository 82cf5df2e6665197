// Overload at twice the measured capacity (the fault suite's scenario 7), driven by scripts/suites/fault-overload.sh.
// No dependencies: run with the JDK source launcher, Java 17+.
//
//   java scripts/faults/Overload.java --url http://127.0.0.1:8000 --key KEY --workflow NAME \
//        [--overload-seconds 60] [--factor 2] [--accepted-p99-ms 5000]
//
// Three phases against sync starts of one small workflow:
//   1. capacity: a closed loop of 16 clients for 8 s, after 5 s of warm-up; capacity = completed starts per second.
//   2. overload: an open loop at factor × capacity (request i is due at start + i / rate, whatever happened to the
//      earlier ones; latency runs from the due time). What the platform may answer: 200 completed, or a refusal
//      (429/503) that is problem+json with Retry-After. Anything else — 5xx other than 503, a timeout, a connection
//      failure — is a violation, as is more than MAX_IN_FLIGHT requests outstanding (a server that neither answers
//      nor refuses: its queues are not bounded).
//   3. recovery: a quarter of the capacity for 5 s; every start must complete, quickly.
// Output: one "ok - ..." / "not ok - ..." line per oracle, and a RESULT line with the figures. Exit 1 on a violation.
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

public class Overload {

    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final int MAX_IN_FLIGHT = 2_000;

    record Options(String url, String key, String workflow, int overloadSeconds, double factor, long acceptedP99Ms) {
        static Options parse(String[] args) {
            Map<String, String> values = new TreeMap<>();
            for (int i = 0; i + 1 < args.length; i += 2) {
                values.put(args[i].replaceFirst("^--", ""), args[i + 1]);
            }
            return new Options(values.getOrDefault("url", "http://127.0.0.1:8000"), values.get("key"),
                    values.get("workflow"), Integer.parseInt(values.getOrDefault("overload-seconds", "60")),
                    Double.parseDouble(values.getOrDefault("factor", "2")),
                    Long.parseLong(values.getOrDefault("accepted-p99-ms", "5000")));
        }
    }

    /** One answer: HTTP status (0 = no answer), latency, and whether a refusal carried what it must. */
    record Outcome(int status, long nanos, boolean wellFormedRefusal, String failure) {
        boolean completed() {
            return status == 200;
        }

        boolean refused() {
            return status == 429 || status == 503;
        }
    }

    final Options options;
    // HTTP/1.1: a connection per outstanding request, as many independent clients would open. Over HTTP/2 every
    // request would share one connection, and the server's limit of concurrent streams would queue the overload in
    // this client, where the platform cannot see it, let alone refuse it.
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newFixedThreadPool(4)).build();
    final AtomicLong sequence = new AtomicLong();
    int failures;

    Overload(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        if (options.key() == null || options.workflow() == null) {
            System.err.println("usage: Overload --url URL --key KEY --workflow NAME [--overload-seconds N] [--factor F]");
            System.exit(2);
        }
        System.exit(new Overload(options).run());
    }

    int run() throws Exception {
        // Warm up first: right after a restart the JIT makes the first seconds several times slower, and a capacity
        // measured then would make the "overload" a light load.
        measureCapacity(16, Duration.ofSeconds(5));
        double capacity = measureCapacity(16, Duration.ofSeconds(8));
        System.out.printf(Locale.ROOT, "capacity: %.0f completed starts/s (closed loop, 16 clients, 8 s)%n", capacity);
        check("a capacity was measured", capacity > 0);
        double rate = capacity * options.factor();
        List<Outcome> overload = openLoop(rate, Duration.ofSeconds(options.overloadSeconds()));
        report("overload", rate, overload);
        long unanswered = overload.stream().filter(o -> o.status() == 0).count();
        long unexpected = overload.stream().filter(o -> o.status() != 0 && !o.completed() && !o.refused()).count();
        long badRefusals = overload.stream().filter(o -> o.refused() && !o.wellFormedRefusal()).count();
        long refusals = overload.stream().filter(Outcome::refused).count();
        check("every overload request was answered (" + unanswered + " without an answer: "
                + firstFailure(overload) + ")", unanswered == 0);
        check("every answer was a completion or a refusal (" + unexpected + " other statuses)", unexpected == 0);
        check("the overload was refused in part (" + refusals + " refusals): the platform sheds what it cannot run",
                refusals > 0);
        check("every refusal is problem+json with Retry-After (" + badRefusals + " are not)", badRefusals == 0);
        long acceptedP99 = percentileMillis(overload.stream().filter(Outcome::completed).toList(), 0.99);
        check("p99 of what was accepted stays bounded: " + acceptedP99 + " ms (bound " + options.acceptedP99Ms() + ")",
                acceptedP99 <= options.acceptedP99Ms());

        List<Outcome> recovery = openLoop(capacity / 4, Duration.ofSeconds(5));
        report("recovery", capacity / 4, recovery);
        long recoveredP99 = percentileMillis(recovery, 0.99);
        check("full recovery: every start completes at a quarter of the capacity", recovery.stream()
                .allMatch(Outcome::completed));
        check("and quickly again: p99 " + recoveredP99 + " ms (bound 1000)", recoveredP99 <= 1000);
        System.out.printf(Locale.ROOT, "RESULT capacity=%.0f rate=%.0f requests=%d completed=%d refused=%d "
                + "unanswered=%d accepted_p99_ms=%d recovery_p99_ms=%d%n", capacity, rate, overload.size(),
                overload.stream().filter(Outcome::completed).count(), refusals, unanswered, acceptedP99,
                recoveredP99);
        return failures == 0 ? 0 : 1;
    }

    double measureCapacity(int clients, Duration duration) throws InterruptedException {
        long end = System.nanoTime() + duration.toNanos();
        AtomicInteger completed = new AtomicInteger();
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Thread thread = new Thread(() -> {
                while (System.nanoTime() < end) {
                    Outcome outcome = send(System.nanoTime()).join();
                    statuses.merge(outcome.status(), 1, Integer::sum);
                    if (outcome.completed()) {
                        completed.incrementAndGet();
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        System.out.println("capacity phase statuses: " + new TreeMap<>(statuses));
        return completed.get() / (duration.toMillis() / 1000.0);
    }

    List<Outcome> openLoop(double rate, Duration duration) throws InterruptedException {
        ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        AtomicInteger inFlight = new AtomicInteger();
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        long start = System.nanoTime();
        long total = (long) (rate * duration.toMillis() / 1000.0);
        for (long i = 0; i < total; i++) {
            long due = start + (long) (i * 1e9 / rate);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            if (inFlight.get() >= MAX_IN_FLIGHT) {
                outcomes.add(new Outcome(0, 0, false, "over " + MAX_IN_FLIGHT + " requests outstanding"));
                continue;
            }
            inFlight.incrementAndGet();
            pending.add(send(due).thenAccept(outcome -> {
                inFlight.decrementAndGet();
                outcomes.add(outcome);
            }));
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).orTimeout(60, TimeUnit.SECONDS)
                .exceptionally(failure -> null).join();
        return new ArrayList<>(outcomes);
    }

    CompletableFuture<Outcome> send(long due) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(options.url() + "/api/v1/workflows/"
                + options.workflow() + "/executions"))
                .timeout(TIMEOUT)
                .header("Authorization", "Bearer " + options.key())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\": {\"n\": " + sequence.incrementAndGet()
                        + "}, \"waitMs\": 10000}"))
                .build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, failure) -> {
            long nanos = System.nanoTime() - due;
            if (failure != null) {
                Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                return new Outcome(0, nanos, false, cause.getClass().getSimpleName() + ": " + cause.getMessage());
            }
            int status = response.statusCode();
            boolean wellFormed = response.headers().firstValue("Retry-After").isPresent()
                    && response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json");
            if (status == 200 && !response.body().contains("\"completed\"")) {
                return new Outcome(-1, nanos, false, "200 without completed: " + response.body());
            }
            return new Outcome(status, nanos, wellFormed, null);
        });
    }

    void report(String phase, double rate, List<Outcome> outcomes) {
        Map<Integer, Long> statuses = new TreeMap<>();
        outcomes.forEach(o -> statuses.merge(o.status(), 1L, Long::sum));
        System.out.printf(Locale.ROOT, "%s: %.0f requests/s offered, %d sent, statuses %s, p50 %d ms, p99 %d ms%n",
                phase, rate, outcomes.size(), statuses, percentileMillis(outcomes, 0.5),
                percentileMillis(outcomes, 0.99));
    }

    static String firstFailure(List<Outcome> outcomes) {
        return outcomes.stream().filter(o -> o.failure() != null).map(Outcome::failure).findFirst().orElse("none");
    }

    static long percentileMillis(List<Outcome> outcomes, double quantile) {
        if (outcomes.isEmpty()) {
            return 0;
        }
        List<Long> nanos = new ArrayList<>(outcomes.stream().map(Outcome::nanos).toList());
        Collections.sort(nanos);
        int index = (int) Math.min(nanos.size() - 1, Math.ceil(quantile * nanos.size()) - 1);
        return TimeUnit.NANOSECONDS.toMillis(nanos.get(Math.max(0, index)));
    }

    void check(String description, boolean ok) {
        System.out.println((ok ? "ok - " : "not ok - ") + description);
        if (!ok) {
            failures++;
        }
    }
}
