// Temporal side of benchmarks/async-executions.sh: the 3-step workflow of benchmarks/nexus/bench-three-steps.json
// (double -> inc -> shape: result = 2x + 1, big = result > 10) on Temporal's in-process test service
// (io.temporal:temporal-testing, TestWorkflowEnvironment.newInstance with time skipping off, so timers and timeouts
// run on the wall clock), with one worker in the same JVM, driven by a load generator in the same JVM.
//
//   java -jar benchmarks/temporal/target/temporal-load.jar [--variants activities,local] [--concurrencies "1 16"]
//        [--prewarm 30] [--warmup 15] [--duration 30] [--open 2000] [--open-concurrency 16] [--max-inflight 1000]
//        [--timeout-ms 60000] [--clk-tck 100] [--reps 1]
//
// Variants (workflow types on one task queue of one worker, default WorkerOptions):
//   activities  three activities, one per step (each a durable step: scheduled, started and completed in the
//               workflow's history, a workflow task between two of them): label temporal-activities.
//   local       the same three steps as local activities (run inside the workflow task by the worker, recorded as
//               markers when the workflow task completes): label temporal-local.
// Closed loop (per concurrency C): C threads each start one execution with WorkflowClient.start (asynchronous start:
// it returns once the server has accepted the workflow) and wait for its result (WorkflowStub.getResult, a long poll of
// the history), then the next, for the warm-up and then the measured duration; latency = start call to result.
// Open (--open N > 0): --open-concurrency threads call WorkflowClient.start back to back, N in all, while at most
// --max-inflight are unfinished, and collect each result with getResultAsync; rate = successful executions / (last
// result - first start), latency start to result (queueing included). Before the rows, each variant runs unmeasured at
// concurrency 4 for --prewarm seconds (JIT).
// Every result is checked (result == 2x + 1, big == result > 10); anything else (an exception, a wrong value, a
// timeout) is an error.
//
// Output: a human summary on stderr and one line per row on stdout, in WorkflowLoad's format plus what the script
// measures around WorkflowLoad itself (everything runs in this JVM, so it measures here):
//   RESULT label=.. target=temporal concurrency=.. execs=.. seconds=.. rate=.. p50=.. p90=.. p99=.. max=.. errors=..
//          warmup_errors=.. total=.. polls=0.00 client_cpu_ms=.. [mode=open inflight_max=..] load=a/b cpu_ms=..
//          others=..%
// cpu_ms = CPU time of this whole JVM (test server, worker and load generator) during the row, warm-up included,
// per execution of the row; load = the 1-minute load average before/after the row; others = CPU the rest of the
// machine used during the row (busy time in /proc/stat less this JVM's), in % of all cores.
package bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

public final class TemporalLoad {

    static final String TASK_QUEUE = "bench-three-steps";

    // ------------------------------------------------------------------------------------------- the workflow

    /** What the shape step returns: Nexus's {"result": z, "big": z > 10}. */
    public static final class Shape {
        public long result;
        public boolean big;

        public Shape() {
        }

        Shape(long result, boolean big) {
            this.result = result;
            this.big = big;
        }
    }

    @ActivityInterface
    public interface Steps {
        @ActivityMethod(name = "double")
        long doubled(long x);

        @ActivityMethod(name = "inc")
        long inc(long y);

        @ActivityMethod(name = "shape")
        Shape shape(long z);
    }

    public static final class StepsImpl implements Steps {
        @Override
        public long doubled(long x) {
            return x * 2;
        }

        @Override
        public long inc(long y) {
            return y + 1;
        }

        @Override
        public Shape shape(long z) {
            return new Shape(z, z > 10);
        }
    }

    @WorkflowInterface
    public interface ThreeSteps {
        @WorkflowMethod
        Shape run(long x);
    }

    @WorkflowInterface
    public interface ThreeStepsLocal {
        @WorkflowMethod
        Shape run(long x);
    }

    public static final class ThreeStepsImpl implements ThreeSteps {
        private final Steps steps = Workflow.newActivityStub(Steps.class,
                ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build());

        @Override
        public Shape run(long x) {
            return steps.shape(steps.inc(steps.doubled(x)));
        }
    }

    public static final class ThreeStepsLocalImpl implements ThreeStepsLocal {
        private final Steps steps = Workflow.newLocalActivityStub(Steps.class,
                LocalActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build());

        @Override
        public Shape run(long x) {
            return steps.shape(steps.inc(steps.doubled(x)));
        }
    }

    // ------------------------------------------------------------------------------------------- the load

    record Options(List<String> variants, List<Integer> concurrencies, double prewarm, double warmup, double duration,
                   long open, int openConcurrency, int maxInflight, long timeoutMs, long clkTck, int reps) {}

    /** Thrown for an execution that did not end as expected. */
    static final class ExecutionError extends Exception {
        private static final long serialVersionUID = 1L;

        ExecutionError(String message) {
            super(message, null, false, false);
        }
    }

    final Options o;
    final WorkflowClient client;
    final AtomicLong ids = new AtomicLong();
    final AtomicInteger errorsShown = new AtomicInteger();

    TemporalLoad(Options o, WorkflowClient client) {
        this.o = o;
        this.client = client;
    }

    public static void main(String[] args) throws Exception {
        Options o = parse(args);
        TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(
                TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
        int status;
        try {
            Worker worker = env.newWorker(TASK_QUEUE);
            worker.registerWorkflowImplementationTypes(ThreeStepsImpl.class, ThreeStepsLocalImpl.class);
            worker.registerActivitiesImplementations(new StepsImpl());
            env.start();
            status = new TemporalLoad(o, env.getWorkflowClient()).runAll();
        } finally {
            env.close();
        }
        System.exit(status);
    }

    static Options parse(String[] args) {
        List<String> variants = List.of("activities", "local");
        List<Integer> concurrencies = List.of(1, 16);
        double prewarm = 30, warmup = 15, duration = 30;
        long open = 0, timeout = 60_000, clkTck = 100;
        int openConcurrency = 16, maxInflight = 1000, reps = 1;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            if (v == null && !a.equals("-h") && !a.equals("--help")) usage("missing value for " + a);
            switch (a) {
                case "--variants" -> { variants = Arrays.asList(v.trim().split("[,\\s]+")); i++; }
                case "--concurrencies" -> {
                    concurrencies = Arrays.stream(v.trim().split("[,\\s]+")).map(Integer::valueOf).toList();
                    i++;
                }
                case "--prewarm" -> { prewarm = Double.parseDouble(v); i++; }
                case "--warmup" -> { warmup = Double.parseDouble(v); i++; }
                case "--duration" -> { duration = Double.parseDouble(v); i++; }
                case "--open" -> { open = Long.parseLong(v); i++; }
                case "--open-concurrency" -> { openConcurrency = Integer.parseInt(v); i++; }
                case "--max-inflight" -> { maxInflight = Integer.parseInt(v); i++; }
                case "--timeout-ms" -> { timeout = Long.parseLong(v); i++; }
                case "--clk-tck" -> { clkTck = Long.parseLong(v); i++; }
                case "--reps" -> { reps = Integer.parseInt(v); i++; }
                case "-h", "--help" -> usage(null);
                default -> usage("unknown argument: " + a);
            }
        }
        for (String variant : variants) {
            if (!variant.equals("activities") && !variant.equals("local")) usage("variants: activities and/or local");
        }
        if (duration <= 0 || warmup < 0 || prewarm < 0 || open < 0 || openConcurrency < 1 || maxInflight < 1 || reps < 1
                || concurrencies.stream().anyMatch(c -> c < 1)) {
            usage("bad duration/warmup/prewarm/open/concurrency");
        }
        return new Options(variants, concurrencies, prewarm, warmup, duration, open, openConcurrency, maxInflight,
                timeout, clkTck, reps);
    }

    static void usage(String error) {
        if (error != null) System.err.println("error: " + error);
        System.err.println("usage: java -jar temporal-load.jar [--variants activities,local] [--concurrencies '1 16']"
                + " [--prewarm S] [--warmup S] [--duration S] [--open N] [--open-concurrency C] [--max-inflight M]"
                + " [--timeout-ms MS] [--clk-tck HZ] [--reps N]");
        System.exit(2);
    }

    int runAll() throws InterruptedException {
        boolean allMeasured = true;
        for (String variant : o.variants()) {
            if (o.prewarm() > 0) {
                System.err.printf(Locale.ROOT, "==> %s: %.0fs unmeasured warm-up at concurrency 4%n", label(variant),
                        o.prewarm());
                closed(variant, 4, 0, o.prewarm(), false);
            }
        }
        // Every row --reps times, one repetition after the other (the caller takes medians over them).
        for (int rep = 1; rep <= o.reps(); rep++) {
            for (int c : o.concurrencies()) {
                for (String variant : o.variants()) {
                    allMeasured &= closed(variant, c, o.warmup(), o.duration(), true);
                }
            }
            if (o.open() > 0) {
                for (String variant : o.variants()) {
                    allMeasured &= open(variant);
                }
            }
        }
        return allMeasured ? 0 : 1;
    }

    static String label(String variant) {
        return "temporal-" + variant;
    }

    /** Starts one execution of the variant's workflow (WorkflowClient.start) and returns its untyped stub. */
    WorkflowStub start(String variant, long x) {
        WorkflowOptions options = WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE)
                .setWorkflowId("bench-" + variant + "-" + ids.incrementAndGet()).build();
        if (variant.equals("local")) {
            ThreeStepsLocal stub = client.newWorkflowStub(ThreeStepsLocal.class, options);
            WorkflowClient.start(stub::run, x);
            return WorkflowStub.fromTyped(stub);
        }
        ThreeSteps stub = client.newWorkflowStub(ThreeSteps.class, options);
        WorkflowClient.start(stub::run, x);
        return WorkflowStub.fromTyped(stub);
    }

    static void check(long x, Shape shape) throws ExecutionError {
        long expected = 2 * x + 1;
        if (shape == null || shape.result != expected) {
            throw new ExecutionError("x=" + x + ": result " + (shape == null ? null : shape.result) + ", expected "
                    + expected);
        }
        if (shape.big != expected > 10) {
            throw new ExecutionError("x=" + x + ": big " + shape.big + ", expected " + (expected > 10));
        }
    }

    void reportError(String message) {
        if (errorsShown.incrementAndGet() <= 5) System.err.println("execution error: " + message);
    }

    /** Before/after figures of one row: this JVM's CPU, the machine's busy time, wall time, load average. */
    final class Meter {
        final long cpu0 = processCpuNanos(), busy0 = busyTicks(), wall0 = System.nanoTime();
        final String load0 = load1();

        String fields(long total) {
            long cpu = processCpuNanos() - cpu0, busy = busyTicks() - busy0;
            double wall = (System.nanoTime() - wall0) / 1e9;
            double others = ((double) busy / o.clkTck() - cpu / 1e9) / (wall * Runtime.getRuntime().availableProcessors()) * 100;
            return String.format(Locale.ROOT, " load=%s/%s cpu_ms=%.2f others=%.0f%%", load0, load1(),
                    total == 0 ? Double.NaN : cpu / 1e6 / total, Math.max(0, others));
        }
    }

    /** One closed-loop row; prints its RESULT line when measured. Returns false if nothing was measured. */
    boolean closed(String variant, int concurrency, double warmupSeconds, double durationSeconds, boolean measured)
            throws InterruptedException {
        if (measured) {
            System.err.printf(Locale.ROOT, "==> %s, concurrency %d: %.0fs warm-up + %.0fs measured (load average %s)%n",
                    label(variant), concurrency, warmupSeconds, durationSeconds, load1());
        }
        Meter meter = new Meter();
        long now = System.nanoTime();
        long measureStart = now + (long) (warmupSeconds * 1e9);
        long measureEnd = measureStart + (long) (durationSeconds * 1e9);
        AtomicLong total = new AtomicLong();
        ClosedWorker[] workers = new ClosedWorker[concurrency];
        Thread[] threads = new Thread[concurrency];
        for (int i = 0; i < concurrency; i++) {
            workers[i] = new ClosedWorker(variant, i, measureStart, measureEnd, total);
            threads[i] = new Thread(workers[i], "worker-" + i);
            threads[i].start();
        }
        for (Thread t : threads) t.join();
        if (!measured) return true;

        long count = 0, errors = 0, warmupErrors = 0;
        for (ClosedWorker w : workers) { count += w.n; errors += w.errors; warmupErrors += w.warmupErrors; }
        long[] all = new long[(int) count];
        int k = 0;
        for (ClosedWorker w : workers) { System.arraycopy(w.latencies, 0, all, k, w.n); k += w.n; }
        Arrays.sort(all);
        double rate = count / durationSeconds;
        String line = String.format(Locale.ROOT,
                "RESULT label=%s target=temporal concurrency=%d execs=%d seconds=%.1f rate=%.1f p50=%.2f p90=%.2f"
                        + " p99=%.2f max=%.2f errors=%d warmup_errors=%d total=%d polls=0.00 client_cpu_ms=%d",
                label(variant), concurrency, count, durationSeconds, rate, pct(all, 50), pct(all, 90), pct(all, 99),
                all.length == 0 ? Double.NaN : all[all.length - 1] / 1e6, errors, warmupErrors, total.get(),
                processCpuNanos() / 1_000_000) + meter.fields(total.get());
        System.err.printf(Locale.ROOT, "%s c=%d: %.1f executions/s, p50 %.2f ms, p99 %.2f ms, %d errors (%d measured)%n",
                label(variant), concurrency, rate, pct(all, 50), pct(all, 99), errors, count);
        System.out.println(line);
        System.out.flush();
        return count > 0;
    }

    final class ClosedWorker implements Runnable {
        final String variant;
        final int index;
        final long measureStart, measureEnd;
        final AtomicLong total;
        long[] latencies = new long[1 << 14];
        int n;
        long errors, warmupErrors;

        ClosedWorker(String variant, int index, long measureStart, long measureEnd, AtomicLong total) {
            this.variant = variant;
            this.index = index;
            this.measureStart = measureStart;
            this.measureEnd = measureEnd;
            this.total = total;
        }

        @Override
        public void run() {
            long x = index * 61L; // spread the inputs over the workers, as WorkflowLoad does
            while (true) {
                long t0 = System.nanoTime();
                if (t0 >= measureEnd) return;
                x = (x + 1) % 1000;
                boolean ok = true;
                try {
                    WorkflowStub stub = start(variant, x);
                    Shape shape = stub.getResult(o.timeoutMs(), TimeUnit.MILLISECONDS, Shape.class);
                    total.incrementAndGet();
                    check(x, shape);
                } catch (ExecutionError e) {
                    ok = false;
                    reportError(e.getMessage());
                } catch (Exception e) {
                    ok = false;
                    total.incrementAndGet();
                    reportError(e.toString());
                }
                long t1 = System.nanoTime();
                if (t0 >= measureStart && t1 <= measureEnd) {
                    if (ok) {
                        if (n == latencies.length) latencies = Arrays.copyOf(latencies, n * 2);
                        latencies[n++] = t1 - t0;
                    } else {
                        errors++;
                    }
                } else if (!ok) {
                    warmupErrors++;
                }
                if (!ok) {
                    try { Thread.sleep(10); } catch (InterruptedException e) { return; }
                }
            }
        }
    }

    /** The open row of a variant; prints its RESULT line. Returns false if nothing completed. */
    boolean open(String variant) throws InterruptedException {
        int c = o.openConcurrency();
        System.err.printf(Locale.ROOT, "==> %s open: %d executions started by %d threads, at most %d unfinished"
                + " (load average %s)%n", label(variant), o.open(), c, o.maxInflight(), load1());
        Meter meter = new Meter();
        Semaphore inflight = new Semaphore(o.maxInflight());
        AtomicLong toStart = new AtomicLong(o.open()), errors = new AtomicLong(), total = new AtomicLong();
        AtomicLong firstStart = new AtomicLong(Long.MAX_VALUE), lastEnd = new AtomicLong();
        AtomicInteger inflightNow = new AtomicInteger(), inflightMax = new AtomicInteger(), n = new AtomicInteger();
        long[] latencies = new long[(int) o.open()];
        CountDownLatch done = new CountDownLatch((int) o.open());
        List<Thread> starters = new ArrayList<>();
        for (int i = 0; i < c; i++) {
            int index = i;
            starters.add(new Thread(() -> {
                long x = index * 61L;
                try {
                    while (toStart.getAndDecrement() > 0) {
                        long input = x = (x + 1) % 1000;
                        inflight.acquire();
                        inflightMax.accumulateAndGet(inflightNow.incrementAndGet(), Math::max);
                        long t0 = System.nanoTime();
                        firstStart.accumulateAndGet(t0, Math::min);
                        Runnable finished = () -> {
                            inflightNow.decrementAndGet();
                            inflight.release();
                            done.countDown();
                        };
                        WorkflowStub stub;
                        try {
                            stub = start(variant, input);
                        } catch (RuntimeException e) {
                            total.incrementAndGet();
                            errors.incrementAndGet();
                            reportError(e.toString());
                            finished.run();
                            continue;
                        }
                        stub.getResultAsync(o.timeoutMs(), TimeUnit.MILLISECONDS, Shape.class)
                                .whenComplete((shape, failure) -> {
                                    long t1 = System.nanoTime();
                                    total.incrementAndGet();
                                    try {
                                        if (failure != null) throw new ExecutionError(failure.toString());
                                        check(input, shape);
                                        latencies[n.getAndIncrement()] = t1 - t0;
                                        lastEnd.accumulateAndGet(t1, Math::max);
                                    } catch (ExecutionError e) {
                                        errors.incrementAndGet();
                                        reportError(e.getMessage());
                                    }
                                    finished.run();
                                });
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "starter-" + i));
        }
        starters.forEach(Thread::start);
        for (Thread t : starters) t.join();
        if (!done.await(o.timeoutMs() + 10_000, TimeUnit.MILLISECONDS)) {
            System.err.println("error: some results never came back");
        }
        long[] all = Arrays.copyOf(latencies, n.get());
        Arrays.sort(all);
        double seconds = all.length == 0 ? 0 : (lastEnd.get() - firstStart.get()) / 1e9;
        double rate = seconds > 0 ? all.length / seconds : 0;
        String line = String.format(Locale.ROOT,
                "RESULT label=%s target=temporal concurrency=%d execs=%d seconds=%.1f rate=%.1f p50=%.2f p90=%.2f"
                        + " p99=%.2f max=%.2f errors=%d warmup_errors=0 total=%d polls=0.00 client_cpu_ms=%d"
                        + " mode=open inflight_max=%d",
                label(variant), c, all.length, seconds, rate, pct(all, 50), pct(all, 90), pct(all, 99),
                all.length == 0 ? Double.NaN : all[all.length - 1] / 1e6, errors.get(), total.get(),
                processCpuNanos() / 1_000_000, inflightMax.get()) + meter.fields(total.get());
        System.err.printf(Locale.ROOT, "%s open c=%d: %d executions in %.1f s, %.1f completed/s, p50 %.2f ms,"
                        + " p99 %.2f ms, %d errors, at most %d unfinished%n", label(variant), c, all.length, seconds,
                rate, pct(all, 50), pct(all, 99), errors.get(), inflightMax.get());
        System.out.println(line);
        System.out.flush();
        return all.length > 0;
    }

    // ------------------------------------------------------------------------------------------- measuring

    static double pct(long[] sorted, double p) {
        if (sorted.length == 0) return Double.NaN;
        int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1; // nearest-rank
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))] / 1e6;
    }

    /** CPU time of this whole JVM so far, or -1. */
    static long processCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
    }

    /** CPU time of the whole machine outside idle and iowait, in clock ticks (as the script's busy_ticks). */
    static long busyTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            // cpu user nice system idle iowait irq softirq steal
            return Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                    + Long.parseLong(f[7]) + Long.parseLong(f[8]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    static String load1() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }
}
