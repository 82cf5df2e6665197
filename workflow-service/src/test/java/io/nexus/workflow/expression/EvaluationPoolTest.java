package io.nexus.workflow.expression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pool's two lanes: compiles bounded (queue and per tenant) and refused at once, runs always first. */
class EvaluationPoolTest {

    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void releaseThreads() {
        release.countDown();
    }

    /** Occupies one of the pool's threads until the test ends. */
    private void block(EvaluationPool pool, CountDownLatch started) {
        pool.execute(() -> {
            started.countDown();
            await(release);
        });
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Throwable refusal(CompletableFuture<?> future) {
        assertTrue(future.isCompletedExceptionally(), "refused at once, not queued");
        try {
            future.get();
            throw new AssertionError("expected a refusal");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void refusesACompileOnceTheQueueIsFull() {
        EvaluationPool pool = new EvaluationPool(1, 3, 10);
        CountDownLatch started = new CountDownLatch(1);
        block(pool, started);
        await(started);
        List<CompletableFuture<String>> queued = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            queued.add(pool.compile("tenant-" + i, () -> "compiled"));
        }

        Throwable refused = refusal(pool.compile("tenant-x", () -> "compiled"));

        assertTrue(refused instanceof EvaluationPool.Saturated, refused.toString());
        assertFalse(((EvaluationPool.Saturated) refused).tenantCap());
        queued.forEach(future -> assertFalse(future.isDone(), "the queued ones wait their turn"));
    }

    @Test
    void refusesATenantOverItsShareWhileOthersStillGetIn() {
        EvaluationPool pool = new EvaluationPool(1, 10, 2);
        CountDownLatch started = new CountDownLatch(1);
        block(pool, started);
        await(started);
        pool.compile("greedy", () -> "one");
        pool.compile("greedy", () -> "two");

        Throwable refused = refusal(pool.compile("greedy", () -> "three"));
        CompletableFuture<String> other = pool.compile("modest", () -> "mine");

        assertTrue(((EvaluationPool.Saturated) refused).tenantCap(), refused.toString());
        assertFalse(other.isDone(), "another tenant is queued, not refused");
    }

    @Test
    void aCompileCancelledWhileQueuedNeverRunsAndFreesItsPlace() throws Exception {
        EvaluationPool pool = new EvaluationPool(1, 1, 1);
        CountDownLatch started = new CountDownLatch(1);
        block(pool, started);
        await(started);
        AtomicBoolean ran = new AtomicBoolean();
        CompletableFuture<String> gone = pool.compile("tenant", () -> {
            ran.set(true);
            return "wasted";
        });

        gone.cancel(false);
        CompletableFuture<String> next = pool.compile("tenant", () -> "next");
        release.countDown();

        assertEquals("next", next.get(30, TimeUnit.SECONDS));
        assertFalse(ran.get(), "the cancelled compile must not run");
    }

    @Test
    void runsOvertakeQueuedCompilesAndOneThreadIsLeftToThem() throws Exception {
        EvaluationPool pool = new EvaluationPool(2, 10, 10);
        CountDownLatch compiling = new CountDownLatch(1);
        CompletableFuture<String> first = pool.compile("a", () -> {
            compiling.countDown();
            await(release);
            return "first";
        });
        await(compiling);
        CompletableFuture<String> second = pool.compile("b", () -> "second");
        CompletableFuture<String> run = new CompletableFuture<>();

        pool.execute(() -> run.complete(second.isDone() ? "after the compile" : "before the compile"));

        assertEquals("before the compile", run.get(30, TimeUnit.SECONDS));
        assertFalse(second.isDone(), "with one compile running, the second thread is kept for runs");
        release.countDown();
        assertEquals("first", first.get(30, TimeUnit.SECONDS));
        assertEquals("second", second.get(30, TimeUnit.SECONDS));
    }
}
