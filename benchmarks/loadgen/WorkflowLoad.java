// Load generator for workflow executions (benchmarks/workflow-executions.sh: sync, closed loop;
// benchmarks/async-executions.sh: async, closed loop and open). No dependencies: run with the JDK source launcher, Java 17+.
//
//   java benchmarks/loadgen/WorkflowLoad.java --target nexus --url http://127.0.0.1:8000 --workflow bench-three-steps \
//        --header 'Authorization: Bearer KEY' --concurrency 16 --warmup 15 --duration 30 [--label gateway]
//   java benchmarks/loadgen/WorkflowLoad.java --target conductor --url http://127.0.0.1:8090 --workflow bench_three_steps \
//        --concurrency 1 --warmup 15 --duration 30 [--poll-interval-ms 2]
//   java benchmarks/loadgen/WorkflowLoad.java --target nexus ... --async [--poll-interval-ms 2]       (async, closed loop)
//   java benchmarks/loadgen/WorkflowLoad.java --target nexus ... --async --open 2000 --concurrency 16 \
//        [--max-inflight 1000] [--poll-interval-ms 10]                                                (async, open)
//
// N workers each run one execution at a time, back to back, for the warm-up and then the measured duration.
// One execution with input x (cycling through 0..999):
//   nexus:     POST {url}/api/v1/workflows/{workflow}/executions {"inputs": {"x": x}, "mode": "sync"}
//              -> 200 with status "completed"; the result is read at outputs.result or outputs.shape.result
//              (the definition's default output is the map of leaf outputs, {"shape": {...}}).
//   conductor: POST {url}/api/workflow/{workflow} {"x": x} -> workflow id, then GET {url}/api/workflow/{id}?includeTasks=false
//              at once and every --poll-interval-ms after that until the status is terminal; the result is read at
//              output.result. Conductor 3.15.0 has no synchronous execute endpoint, so the latency is start + polls.
//   nexus --async: POST ... {"inputs": {"x": x}, "mode": "async"} -> 202 with executionId, then
//              GET {url}/api/v1/executions/{id} at once and every --poll-interval-ms after that until the status is
//              terminal (completed, failed, cancelled); the result is read from the execution's outputs as above.
//              Latency = from before the start request to the end of the GET that saw the execution completed.
// --open N (with --async): not closed loop. --concurrency threads start N executions back to back, each as soon as
//   the previous start answered, while at most --max-inflight are unfinished (a starter waits for a free place; a 429
//   waits its Retry-After and is retried, counted as throttled, not as an error); as many other threads poll every
//   unfinished execution, each at most once per --poll-interval-ms. There is no warm-up: rate = successful executions
//   / (last observed completion - first start), the percentiles are start-to-observed-completion (queueing included).
// Each execution is checked: completed, result == 2x + 1 (as a number: Conductor's javascript gives 7.0) and
// big == (2x + 1 > 10). Anything else (HTTP status, failed status, wrong value, I/O error, timeout) is an error.
//
// Output: a human summary on stderr and one machine-readable line on stdout:
//   RESULT label=.. concurrency=.. execs=.. seconds=.. rate=.. p50=.. p90=.. p99=.. max=.. errors=.. warmup_errors=..
//          total=.. polls=.. client_cpu_ms=..
// execs/rate/percentiles/errors cover the measured window only (executions that started and ended inside it; an
// execution that straddles a window edge counts in neither); errors outside it are warmup_errors;
// total counts every execution that got an answer, warm-up included (for commits per execution); polls is the mean
// number of status GETs per measured Conductor (or async Nexus) execution; client_cpu_ms is this JVM's CPU time,
// start-up included. Async runs add mode=async (closed loop) or mode=open, and client_run_cpu_ms (this JVM's CPU time
// from the first execution on, start-up left out); open ones also throttled=.. (429s on start) and inflight_max=..
// (the most unfinished executions at once).
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

public class WorkflowLoad {

    record Options(String target, String url, String workflow, List<String[]> headers, int concurrency,
                   double warmupSeconds, double durationSeconds, long pollIntervalMs, long timeoutMs, String label,
                   boolean async, long open, int maxInflight, String pad, List<String> keys) {}

    public static void main(String[] args) throws Exception {
        Options o = parse(args);
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        Runner runner = new Runner(o, client);
        System.exit(o.open() > 0 ? new OpenRunner(runner).run() : runner.run());
    }

    static Options parse(String[] args) {
        String target = null, url = null, workflow = null, label = null;
        List<String[]> headers = new ArrayList<>();
        int concurrency = 1;
        double warmup = 10, duration = 30;
        long poll = 2, timeout = 60_000, open = 0;
        int maxInflight = 1000;
        boolean async = false;
        int padBytes = 0;
        List<String> keys = List.of();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--target" -> { target = v; i++; }
                case "--url" -> { url = v.replaceAll("/+$", ""); i++; }
                case "--workflow" -> { workflow = v; i++; }
                case "--header" -> {
                    int c = v.indexOf(':');
                    if (c < 1) usage("bad header: " + v);
                    headers.add(new String[] {v.substring(0, c).trim(), v.substring(c + 1).trim()});
                    i++;
                }
                case "--concurrency" -> { concurrency = Integer.parseInt(v); i++; }
                case "--warmup" -> { warmup = Double.parseDouble(v); i++; }
                case "--duration" -> { duration = Double.parseDouble(v); i++; }
                case "--poll-interval-ms" -> { poll = Long.parseLong(v); i++; }
                case "--timeout-ms" -> { timeout = Long.parseLong(v); i++; }
                case "--label" -> { label = v; i++; }
                case "--async" -> async = true;
                case "--open" -> { open = Long.parseLong(v); i++; }
                case "--max-inflight" -> { maxInflight = Integer.parseInt(v); i++; }
                case "--pad-bytes" -> { padBytes = Integer.parseInt(v); i++; }
                case "--keys-file" -> {
                    try {
                        keys = java.nio.file.Files.readAllLines(java.nio.file.Path.of(v)).stream()
                                .map(String::trim).filter(k -> !k.isEmpty()).toList();
                    } catch (IOException e) {
                        usage("cannot read " + v + ": " + e.getMessage());
                    }
                    i++;
                }
                case "-h", "--help" -> usage(null);
                default -> usage("unknown argument: " + a);
            }
        }
        if (target == null || url == null || workflow == null) usage("--target, --url and --workflow are required");
        if (!target.equals("nexus") && !target.equals("conductor")) usage("--target is nexus or conductor");
        if (concurrency < 1 || duration <= 0 || warmup < 0) usage("bad concurrency/duration/warmup");
        if (async && !target.equals("nexus")) usage("--async is for --target nexus");
        if (open < 0 || (open > 0 && !async)) usage("--open N needs --async and N > 0");
        if (maxInflight < 1) usage("bad --max-inflight");
        if (padBytes < 0 || ((padBytes > 0 || !keys.isEmpty()) && (async || !target.equals("nexus"))))
            usage("--pad-bytes and --keys-file are for sync --target nexus");
        return new Options(target, url, workflow, headers, concurrency, warmup, duration, poll, timeout,
                label == null ? target : label, async, open, maxInflight,
                padBytes == 0 ? "" : ",\"pad\":\"" + "p".repeat(padBytes) + "\"", keys);
    }

    static void usage(String error) {
        if (error != null) System.err.println("error: " + error);
        System.err.println("usage: java WorkflowLoad.java --target nexus|conductor --url BASE --workflow NAME"
                + " [--header 'Name: value']... [--concurrency N] [--warmup S] [--duration S]"
                + " [--poll-interval-ms MS] [--timeout-ms MS] [--label TEXT]"
                + " [--async [--open N [--max-inflight M]]] [--pad-bytes N] [--keys-file FILE]");
        System.exit(2);
    }

    /** Thrown for an execution that did not end as expected. */
    static final class ExecutionError extends Exception {
        ExecutionError(String message) { super(message, null, false, false); }
    }

    static final class Runner {
        final Options o;
        final HttpClient client;
        final AtomicLong total = new AtomicLong();
        final AtomicInteger errorsShown = new AtomicInteger();
        volatile boolean stop;
        long measureStart, measureEnd;

        Runner(Options o, HttpClient client) { this.o = o; this.client = client; }

        int run() throws InterruptedException {
            long cpu0 = processCpuMillis();
            long now = System.nanoTime();
            measureStart = now + (long) (o.warmupSeconds() * 1e9);
            measureEnd = measureStart + (long) (o.durationSeconds() * 1e9);
            Worker[] workers = new Worker[o.concurrency()];
            Thread[] threads = new Thread[o.concurrency()];
            for (int i = 0; i < workers.length; i++) {
                workers[i] = new Worker(this, i);
                threads[i] = new Thread(workers[i], "worker-" + i);
                threads[i].start();
            }
            for (Thread t : threads) t.join();

            long count = 0, errors = 0, warmupErrors = 0, polls = 0;
            for (Worker w : workers) { count += w.n; errors += w.errors; warmupErrors += w.warmupErrors; polls += w.polls; }
            long[] all = new long[(int) count];
            int k = 0;
            for (Worker w : workers) { System.arraycopy(w.latencies, 0, all, k, w.n); k += w.n; }
            Arrays.sort(all);
            double seconds = o.durationSeconds();
            double rate = count / seconds;
            String line = String.format(Locale.ROOT,
                    "RESULT label=%s target=%s concurrency=%d execs=%d seconds=%.1f rate=%.1f p50=%.2f p90=%.2f"
                            + " p99=%.2f max=%.2f errors=%d warmup_errors=%d total=%d polls=%.2f client_cpu_ms=%d",
                    o.label(), o.target(), o.concurrency(), count, seconds, rate, pct(all, 50), pct(all, 90),
                    pct(all, 99), all.length == 0 ? Double.NaN : all[all.length - 1] / 1e6, errors, warmupErrors, total.get(),
                    count == 0 ? 0.0 : (double) polls / count, processCpuMillis());
            if (o.async()) line += " mode=async client_run_cpu_ms=" + (processCpuMillis() - cpu0);
            System.err.printf(Locale.ROOT, "%s c=%d: %.1f executions/s, p50 %.2f ms, p99 %.2f ms, %d errors (%d measured)%n",
                    o.label(), o.concurrency(), rate, pct(all, 50), pct(all, 99), errors, count);
            System.out.println(line);
            return count == 0 ? 1 : 0;
        }

        /** CPU time of this whole JVM so far (start-up and the source launcher's compilation included), or -1. */
        static long processCpuMillis() {
            var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() / 1_000_000 : -1;
        }

        static double pct(long[] sorted, double p) {
            if (sorted.length == 0) return Double.NaN;
            int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1; // nearest-rank
            return sorted[Math.max(0, Math.min(sorted.length - 1, idx))] / 1e6;
        }

        void reportError(String message) {
            if (errorsShown.incrementAndGet() <= 5) System.err.println("execution error: " + message);
        }

        HttpRequest.Builder request(String uri) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofMillis(o.timeoutMs()));
            for (String[] h : o.headers()) b.header(h[0], h[1]);
            return b;
        }

        /** Runs one execution; returns the number of status polls (0 for sync nexus). */
        int execute(long x) throws IOException, InterruptedException, ExecutionError {
            if (o.async()) return executeNexusAsync(x);
            return o.target().equals("nexus") ? executeNexus(x) : executeConductor(x);
        }

        /** POST of an async Nexus start; the caller reads the status (202 expected). */
        HttpResponse<String> startNexusAsync(long x) throws IOException, InterruptedException {
            String uri = o.url() + "/api/v1/workflows/" + enc(o.workflow()) + "/executions";
            HttpRequest req = request(uri).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\":{\"x\":" + x + "},\"mode\":\"async\"}")).build();
            return client.send(req, HttpResponse.BodyHandlers.ofString());
        }

        /** The executionId of a 202 answer to an async start, or an ExecutionError (counted in total). */
        String acceptedId(HttpResponse<String> res) throws ExecutionError {
            if (res.statusCode() != 202) {
                total.incrementAndGet();
                throw new ExecutionError("start HTTP " + res.statusCode() + ": " + abbreviate(res.body()));
            }
            Object id = get(Json.parse(res.body()), "executionId");
            if (!(id instanceof String s) || s.isEmpty()) {
                total.incrementAndGet();
                throw new ExecutionError("start answered no executionId: " + abbreviate(res.body()));
            }
            return s;
        }

        /**
         * One GET of an async Nexus execution: true once it completed as expected (counted in total), false while it
         * is not terminal; an ExecutionError (counted in total) for anything else.
         */
        boolean pollNexus(String id, long x) throws IOException, InterruptedException, ExecutionError {
            HttpRequest get = request(o.url() + "/api/v1/executions/" + enc(id)).GET().build();
            HttpResponse<String> s = client.send(get, HttpResponse.BodyHandlers.ofString());
            if (s.statusCode() != 200) {
                total.incrementAndGet();
                throw new ExecutionError("status HTTP " + s.statusCode() + ": " + abbreviate(s.body()));
            }
            Object body = Json.parse(s.body());
            Object status = get(body, "status");
            if ("completed".equals(status)) {
                total.incrementAndGet();
                Object outputs = get(body, "outputs");
                check(x, get(outputs, "result") != null ? outputs : get(outputs, "shape"), s.body());
                return true;
            }
            if ("pending".equals(status) || "running".equals(status) || "waiting".equals(status)) return false;
            total.incrementAndGet();
            throw new ExecutionError("execution " + id + " ended " + status + ": " + abbreviate(String.valueOf(get(body, "error"))));
        }

        int executeNexusAsync(long x) throws IOException, InterruptedException, ExecutionError {
            String id = acceptedId(startNexusAsync(x));
            long deadline = System.nanoTime() + o.timeoutMs() * 1_000_000L;
            int polls = 0;
            while (true) {
                polls++;
                if (pollNexus(id, x)) return polls;
                if (System.nanoTime() > deadline) {
                    total.incrementAndGet();
                    throw new ExecutionError("execution " + id + " unfinished after " + o.timeoutMs() + " ms");
                }
                if (o.pollIntervalMs() > 0) Thread.sleep(o.pollIntervalMs());
            }
        }

        int executeNexus(long x) throws IOException, InterruptedException, ExecutionError {
            String uri = o.url() + "/api/v1/workflows/" + enc(o.workflow()) + "/executions";
            HttpRequest.Builder builder = request(uri).header("Content-Type", "application/json");
            if (!o.keys().isEmpty()) {
                // --keys-file: each execution as another tenant, round robin (cost as the number of tenants grows)
                builder.setHeader("Authorization", "Bearer " + o.keys().get((int) (x % o.keys().size())));
            }
            HttpRequest req = builder.POST(HttpRequest.BodyPublishers.ofString(
                    "{\"inputs\":{\"x\":" + x + o.pad() + "},\"mode\":\"sync\"}")).build();
            HttpResponse<String> res = client.send(req, HttpResponse.BodyHandlers.ofString());
            total.incrementAndGet();
            if (res.statusCode() != 200) throw new ExecutionError("HTTP " + res.statusCode() + ": " + abbreviate(res.body()));
            Object body = Json.parse(res.body());
            Object status = get(body, "status");
            if (!"completed".equals(status)) throw new ExecutionError("status " + status + ": " + abbreviate(res.body()));
            Object outputs = get(body, "outputs");
            Object shaped = get(outputs, "result") != null ? outputs : get(outputs, "shape");
            check(x, shaped, res.body());
            return 0;
        }

        int executeConductor(long x) throws IOException, InterruptedException, ExecutionError {
            HttpRequest start = request(o.url() + "/api/workflow/" + enc(o.workflow()))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"x\":" + x + "}")).build();
            HttpResponse<String> res = client.send(start, HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() != 200) {
                total.incrementAndGet();
                throw new ExecutionError("start HTTP " + res.statusCode() + ": " + abbreviate(res.body()));
            }
            String id = res.body().trim();
            HttpRequest get = request(o.url() + "/api/workflow/" + enc(id) + "?includeTasks=false").GET().build();
            long deadline = System.nanoTime() + o.timeoutMs() * 1_000_000L;
            int polls = 0;
            while (true) {
                HttpResponse<String> s = client.send(get, HttpResponse.BodyHandlers.ofString());
                polls++;
                if (s.statusCode() != 200) {
                    total.incrementAndGet();
                    throw new ExecutionError("status HTTP " + s.statusCode() + ": " + abbreviate(s.body()));
                }
                Object body = Json.parse(s.body());
                Object status = get(body, "status");
                if ("COMPLETED".equals(status)) {
                    total.incrementAndGet();
                    check(x, get(body, "output"), s.body());
                    return polls;
                }
                if (!"RUNNING".equals(status) && !"PAUSED".equals(status)) {
                    total.incrementAndGet();
                    throw new ExecutionError("workflow " + id + " ended " + status + ": " + get(body, "reasonForIncompletion"));
                }
                if (System.nanoTime() > deadline) {
                    total.incrementAndGet();
                    throw new ExecutionError("workflow " + id + " still " + status + " after " + o.timeoutMs() + " ms");
                }
                if (o.pollIntervalMs() > 0) Thread.sleep(o.pollIntervalMs());
            }
        }

        static void check(long x, Object shaped, String raw) throws ExecutionError {
            Object result = get(shaped, "result");
            Object big = get(shaped, "big");
            long expected = 2 * x + 1;
            if (!(result instanceof Number n) || n.doubleValue() != expected)
                throw new ExecutionError("x=" + x + ": result " + result + ", expected " + expected + ": " + abbreviate(raw));
            if (!(Boolean.valueOf(expected > 10)).equals(big))
                throw new ExecutionError("x=" + x + ": big " + big + ", expected " + (expected > 10) + ": " + abbreviate(raw));
        }

        static Object get(Object map, String key) {
            return map instanceof Map<?, ?> m ? m.get(key) : null;
        }

        static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"); }

        static String abbreviate(String s) {
            if (s == null) return "";
            return s.length() > 300 ? s.substring(0, 300) + "..." : s;
        }
    }

    static final class Worker implements Runnable {
        final Runner r;
        final int index;
        long[] latencies = new long[1 << 14];
        int n;
        long errors, warmupErrors, polls;

        Worker(Runner r, int index) { this.r = r; this.index = index; }

        @Override
        public void run() {
            long x = index * 61L; // spread the inputs over the workers
            while (true) {
                long t0 = System.nanoTime();
                if (t0 >= r.measureEnd) return;
                x = (x + 1) % 1000;
                boolean ok = true;
                int p = 0;
                try {
                    p = r.execute(x);
                } catch (ExecutionError e) {
                    ok = false;
                    r.reportError(e.getMessage());
                } catch (IOException e) {
                    ok = false;
                    r.reportError(e.toString());
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    ok = false;
                    r.reportError(e.toString());
                }
                long t1 = System.nanoTime();
                boolean measured = t0 >= r.measureStart && t1 <= r.measureEnd;
                if (measured) {
                    if (ok) {
                        if (n == latencies.length) latencies = Arrays.copyOf(latencies, n * 2);
                        latencies[n++] = t1 - t0;
                        polls += p;
                    } else {
                        errors++;
                    }
                } else if (!ok) {
                    warmupErrors++;
                }
                if (!ok) {
                    try { Thread.sleep(10); } catch (InterruptedException e) { return; } // no hot loop on a dead server
                }
            }
        }
    }

    /**
     * --open N: starters start N async executions back to back (at most --max-inflight unfinished), pollers poll
     * each unfinished one at most every --poll-interval-ms until it ends.
     */
    static final class OpenRunner {
        final Runner r;
        final Options o;
        final Semaphore inflight;
        final DelayQueue<Pending> due = new DelayQueue<>();
        final AtomicLong toStart, unfinished, throttled = new AtomicLong(), errors = new AtomicLong(),
                polls = new AtomicLong(), firstStart = new AtomicLong(Long.MAX_VALUE), lastEnd = new AtomicLong();
        final AtomicInteger inflightNow = new AtomicInteger(), inflightMax = new AtomicInteger();
        final long[] latencies;
        final AtomicInteger n = new AtomicInteger();

        /** An unfinished execution, due for its next poll at {@code dueNanos}. */
        static final class Pending implements Delayed {
            final String id;
            final long x, t0;
            long dueNanos;
            int polls;

            Pending(String id, long x, long t0) { this.id = id; this.x = x; this.t0 = t0; this.dueNanos = System.nanoTime(); }

            @Override public long getDelay(TimeUnit unit) { return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS); }

            @Override public int compareTo(Delayed other) { return Long.compare(dueNanos, ((Pending) other).dueNanos); }
        }

        OpenRunner(Runner r) {
            this.r = r;
            this.o = r.o;
            this.inflight = new Semaphore(o.maxInflight());
            this.toStart = new AtomicLong(o.open());
            this.unfinished = new AtomicLong(o.open());
            this.latencies = new long[(int) o.open()];
        }

        int run() throws InterruptedException {
            long cpu0 = Runner.processCpuMillis();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < o.concurrency(); i++) {
                int index = i;
                threads.add(new Thread(() -> starter(index), "starter-" + i));
                threads.add(new Thread(this::poller, "poller-" + i));
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) t.join();

            long[] all = Arrays.copyOf(latencies, n.get());
            Arrays.sort(all);
            double seconds = all.length == 0 ? 0 : (lastEnd.get() - firstStart.get()) / 1e9;
            double rate = seconds > 0 ? all.length / seconds : 0;
            String line = String.format(Locale.ROOT,
                    "RESULT label=%s target=%s concurrency=%d execs=%d seconds=%.1f rate=%.1f p50=%.2f p90=%.2f"
                            + " p99=%.2f max=%.2f errors=%d warmup_errors=0 total=%d polls=%.2f client_cpu_ms=%d"
                            + " mode=open client_run_cpu_ms=%d throttled=%d inflight_max=%d",
                    o.label(), o.target(), o.concurrency(), all.length, seconds, rate, Runner.pct(all, 50),
                    Runner.pct(all, 90), Runner.pct(all, 99), all.length == 0 ? Double.NaN : all[all.length - 1] / 1e6,
                    errors.get(), r.total.get(), all.length == 0 ? 0.0 : (double) polls.get() / all.length,
                    Runner.processCpuMillis(), Runner.processCpuMillis() - cpu0, throttled.get(), inflightMax.get());
            System.err.printf(Locale.ROOT, "%s open c=%d: %d executions in %.1f s, %.1f completed/s, p50 %.2f ms,"
                            + " p99 %.2f ms, %d errors, %d throttled starts, at most %d unfinished%n",
                    o.label(), o.concurrency(), all.length, seconds, rate, Runner.pct(all, 50), Runner.pct(all, 99),
                    errors.get(), throttled.get(), inflightMax.get());
            System.out.println(line);
            return all.length == 0 ? 1 : 0;
        }

        void starter(int index) {
            long x = index * 61L;
            try {
                while (toStart.getAndDecrement() > 0) {
                    x = (x + 1) % 1000;
                    inflight.acquire();
                    int now = inflightNow.incrementAndGet();
                    inflightMax.accumulateAndGet(now, Math::max);
                    long t0 = System.nanoTime();
                    firstStart.accumulateAndGet(t0, Math::min);
                    while (true) {
                        try {
                            HttpResponse<String> res = r.startNexusAsync(x);
                            if (res.statusCode() == 429) {
                                throttled.incrementAndGet();
                                long wait = res.headers().firstValue("Retry-After").map(Long::parseLong).orElse(1L);
                                Thread.sleep(Math.max(1, wait) * 1000);
                                if (System.nanoTime() - t0 > o.timeoutMs() * 1_000_000L) {
                                    throw new ExecutionError("still throttled after " + o.timeoutMs() + " ms");
                                }
                                continue;
                            }
                            due.put(new Pending(r.acceptedId(res), x, t0));
                        } catch (ExecutionError | IOException | RuntimeException e) {
                            r.reportError(e instanceof ExecutionError ? e.getMessage() : e.toString());
                            finished(false, 0, 0);
                        }
                        break;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void poller() {
            try {
                while (unfinished.get() > 0) {
                    Pending p = due.poll(50, TimeUnit.MILLISECONDS);
                    if (p == null) continue;
                    p.polls++;
                    boolean done;
                    try {
                        done = r.pollNexus(p.id, p.x);
                    } catch (ExecutionError | IOException | RuntimeException e) {
                        r.reportError(e instanceof ExecutionError ? e.getMessage() : e.toString());
                        finished(false, 0, 0);
                        continue;
                    }
                    long now = System.nanoTime();
                    if (done) {
                        polls.addAndGet(p.polls);
                        finished(true, p.t0, now);
                    } else if (now - p.t0 > o.timeoutMs() * 1_000_000L) {
                        r.total.incrementAndGet();
                        r.reportError("execution " + p.id + " unfinished after " + o.timeoutMs() + " ms");
                        finished(false, 0, 0);
                    } else {
                        p.dueNanos = now + o.pollIntervalMs() * 1_000_000L;
                        due.put(p);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void finished(boolean ok, long t0, long t1) {
            if (ok) {
                latencies[n.getAndIncrement()] = t1 - t0;
                lastEnd.accumulateAndGet(t1, Math::max);
            } else {
                errors.incrementAndGet();
            }
            inflightNow.decrementAndGet();
            inflight.release();
            unfinished.decrementAndGet();
        }
    }

    /** Minimal JSON reader: objects to LinkedHashMap, arrays to ArrayList, numbers to Long or Double. */
    static final class Json {
        private final String s;
        private int i;

        private Json(String s) { this.s = s; }

        static Object parse(String text) {
            Json p = new Json(text);
            p.ws();
            Object v = p.value();
            p.ws();
            if (p.i != p.s.length()) throw p.fail("trailing characters");
            return v;
        }

        private IllegalArgumentException fail(String what) {
            return new IllegalArgumentException("bad JSON at " + i + ": " + what);
        }

        private void ws() {
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == ' ' || c == '\n' || c == '\r' || c == '\t') i++;
                else break;
            }
        }

        private Object value() {
            if (i >= s.length()) throw fail("end of input");
            char c = s.charAt(i);
            switch (c) {
                case '{': return object();
                case '[': return array();
                case '"': return string();
                case 't': expect("true"); return Boolean.TRUE;
                case 'f': expect("false"); return Boolean.FALSE;
                case 'n': expect("null"); return null;
                default: return number();
            }
        }

        private void expect(String word) {
            if (!s.startsWith(word, i)) throw fail("expected " + word);
            i += word.length();
        }

        private Map<String, Object> object() {
            Map<String, Object> m = new LinkedHashMap<>();
            i++;
            ws();
            if (i < s.length() && s.charAt(i) == '}') { i++; return m; }
            while (true) {
                ws();
                if (i >= s.length() || s.charAt(i) != '"') throw fail("expected key");
                String k = string();
                ws();
                if (i >= s.length() || s.charAt(i) != ':') throw fail("expected :");
                i++;
                ws();
                m.put(k, value());
                ws();
                if (i >= s.length()) throw fail("unterminated object");
                char c = s.charAt(i++);
                if (c == '}') return m;
                if (c != ',') throw fail("expected , or }");
            }
        }

        private List<Object> array() {
            List<Object> l = new ArrayList<>();
            i++;
            ws();
            if (i < s.length() && s.charAt(i) == ']') { i++; return l; }
            while (true) {
                ws();
                l.add(value());
                ws();
                if (i >= s.length()) throw fail("unterminated array");
                char c = s.charAt(i++);
                if (c == ']') return l;
                if (c != ',') throw fail("expected , or ]");
            }
        }

        private String string() {
            i++;
            StringBuilder b = null;
            int start = i;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == '"') {
                    String out = b == null ? s.substring(start, i) : b.append(s, start, i).toString();
                    i++;
                    return out;
                }
                if (c == '\\') {
                    if (b == null) b = new StringBuilder();
                    b.append(s, start, i);
                    char e = s.charAt(i + 1);
                    switch (e) {
                        case 'n' -> b.append('\n');
                        case 't' -> b.append('\t');
                        case 'r' -> b.append('\r');
                        case 'b' -> b.append('\b');
                        case 'f' -> b.append('\f');
                        case 'u' -> { b.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16)); i += 4; }
                        default -> b.append(e);
                    }
                    i += 2;
                    start = i;
                } else {
                    i++;
                }
            }
            throw fail("unterminated string");
        }

        private Number number() {
            int start = i;
            boolean fraction = false;
            while (i < s.length()) {
                char c = s.charAt(i);
                if ((c >= '0' && c <= '9') || c == '-' || c == '+') i++;
                else if (c == '.' || c == 'e' || c == 'E') { fraction = true; i++; }
                else break;
            }
            if (start == i) throw fail("unexpected character");
            String t = s.substring(start, i);
            if (!fraction) {
                try { return Long.parseLong(t); } catch (NumberFormatException e) { /* too big: fall through */ }
            }
            return Double.parseDouble(t);
        }
    }
}
