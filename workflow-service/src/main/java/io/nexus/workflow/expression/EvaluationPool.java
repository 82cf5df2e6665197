package io.nexus.workflow.expression;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.nexus.workflow.config.WorkflowConfig;

/**
 * The threads that compile definitions and evaluate expressions: CPU work that must never run on the event loop (a
 * 200-node definition compiles hundreds of CEL programs; an expression may use its whole cost bound). Daemon threads,
 * one per core by default.
 *
 * <p>Two lanes, so that registrations cannot starve executions:
 * <ul>
 *   <li><b>Runs</b> ({@link #execute}): the executions' work. Always taken first. Not refused: each execution has at
 *       most one task queued here at a time (its serial executor drains its own queue), so this lane is bounded by
 *       the executions a replica runs, which its worker pool bounds.</li>
 *   <li><b>Compiles</b> ({@link #compile}): registrations' parsing. A bounded queue ({@code nexus.workflow.compile-queue})
 *       and a cap per tenant ({@code nexus.workflow.compiles-per-tenant}, queued and running together): beyond either
 *       the compile is refused at once with {@link Saturated}, so a flood from one tenant is turned away instead of
 *       queued, and other tenants keep their places. With more than one thread, one thread is always left to the
 *       runs.</li>
 * </ul>
 */
@ApplicationScoped
public class EvaluationPool implements Executor {

    private static final Logger LOG = Logger.getLogger(EvaluationPool.class);

    /** A compile refused because its lane is full, or because its tenant already has as many as it may. */
    public static final class Saturated extends RuntimeException {

        private static final long serialVersionUID = 1L;

        private final boolean tenantCap;

        Saturated(String message, boolean tenantCap) {
            super(message, null, false, false);
            this.tenantCap = tenantCap;
        }

        /** True when the tenant's own cap refused it; false when the whole lane is full. */
        public boolean tenantCap() {
            return tenantCap;
        }
    }

    private final Object lock = new Object();
    private final ArrayDeque<Runnable> runs = new ArrayDeque<>();
    private final ArrayDeque<Compile<?>> compiles = new ArrayDeque<>();
    private final Map<String, Integer> compilesByTenant = new HashMap<>();
    private final int compileQueue;
    private final int compilesPerTenant;
    private final int maxCompiling;
    private int compiling;

    @Inject
    public EvaluationPool(WorkflowConfig config) {
        this(config.evaluationThreads() > 0 ? config.evaluationThreads() : Runtime.getRuntime().availableProcessors(),
                config.compileQueue(), config.compilesPerTenant());
    }

    /** For tests: {@code threads} threads, the compile lane's bounds as given. */
    public EvaluationPool(int threads, int compileQueue, int compilesPerTenant) {
        this.compileQueue = Math.max(1, compileQueue);
        this.compilesPerTenant = Math.max(1, compilesPerTenant);
        this.maxCompiling = Math.max(1, threads - 1);
        AtomicInteger counter = new AtomicInteger();
        for (int i = 0; i < threads; i++) {
            Thread thread = new Thread(this::work, "nexus-evaluation-" + counter.incrementAndGet());
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** An execution's task: taken before any compile. */
    @Override
    public void execute(Runnable task) {
        synchronized (lock) {
            runs.add(task);
            lock.notify();
        }
    }

    /**
     * Runs {@code work} in the compile lane for {@code tenant}. Cancelling the returned future before the work starts
     * removes it from the queue; once started, the work itself must look at {@code cancelled} (the parser does so
     * between expressions).
     *
     * @return completes with the work's result, or exceptionally with {@link Saturated} at once when refused
     */
    public <T> CompletableFuture<T> compile(String tenant, Supplier<T> work) {
        Compile<T> task = new Compile<>(tenant, work);
        synchronized (lock) {
            if (compiles.size() >= compileQueue) {
                task.result.completeExceptionally(new Saturated("the service is compiling as many definitions as "
                        + "it can queue (" + compileQueue + ")", false));
                return task.result;
            }
            int mine = compilesByTenant.getOrDefault(tenant, 0);
            if (mine >= compilesPerTenant) {
                task.result.completeExceptionally(new Saturated("the tenant already has " + mine
                        + " definitions being compiled, the most it may have at once", true));
                return task.result;
            }
            compilesByTenant.put(tenant, mine + 1);
            compiles.add(task);
            lock.notify();
        }
        task.result.whenComplete((ignored, failure) -> {
            if (task.result.isCancelled()) {
                synchronized (lock) {
                    // Still queued: its place and its tenant's count are free at once.
                    if (compiles.remove(task)) {
                        done(task.tenant);
                    }
                }
            }
        });
        return task.result;
    }

    private void work() {
        while (true) {
            Runnable task;
            synchronized (lock) {
                while ((task = next()) == null) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
            try {
                task.run();
            } catch (RuntimeException | StackOverflowError e) {
                LOG.error("An evaluation task failed", e);
            }
        }
    }

    /** Under the lock: a run if any waits, else a compile if the lane may use another thread. */
    private Runnable next() {
        Runnable run = runs.poll();
        if (run != null) {
            return run;
        }
        if (compiling >= maxCompiling) {
            return null;
        }
        Compile<?> compile;
        while ((compile = compiles.poll()) != null) {
            if (!compile.result.isDone()) {
                compiling++;
                return compile;
            }
            // Cancelled while queued: its client is gone, nothing to do.
            done(compile.tenant);
        }
        return null;
    }

    /** Under the lock: one compile of {@code tenant} is over. */
    private void done(String tenant) {
        compilesByTenant.computeIfPresent(tenant, (key, count) -> count > 1 ? count - 1 : null);
    }

    private final class Compile<T> implements Runnable {
        private final String tenant;
        private final Supplier<T> work;
        private final CompletableFuture<T> result = new CompletableFuture<>();

        Compile(String tenant, Supplier<T> work) {
            this.tenant = tenant;
            this.work = work;
        }

        @Override
        public void run() {
            try {
                result.complete(work.get());
            } catch (RuntimeException | StackOverflowError e) {
                result.completeExceptionally(e);
            } finally {
                synchronized (lock) {
                    compiling--;
                    done(tenant);
                    // A waiting thread may now take a compile it had to leave.
                    lock.notifyAll();
                }
            }
        }
    }
}
