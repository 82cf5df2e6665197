package io.nexus.gateway.eventloop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;

class PerEventLoopTest {

    private Vertx vertx;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** What each loop gets, asked twice on it (also from a duplicated context, as a request handler is). */
    private record Seen(String thread, Object first, Object again, Object fromDuplicate) {
    }

    @Test
    void eachEventLoopGetsItsOwnInstanceMadeOnThatLoopAndOffLoopCallersShareOne() throws Exception {
        AtomicInteger made = new AtomicInteger();
        PerEventLoop<String> resources = new PerEventLoop<>(
                () -> made.incrementAndGet() + "@" + Thread.currentThread().getName());

        Seen a = onLoop(((VertxInternal) vertx).createEventLoopContext(), resources);
        // New event-loop contexts take the loops in turn: the next one or the one after is on the other loop.
        Context other = ((VertxInternal) vertx).createEventLoopContext();
        for (int i = 0; i < 4 && sameLoop(other, a.thread()); i++) {
            other = ((VertxInternal) vertx).createEventLoopContext();
        }
        Seen b = onLoop(other, resources);
        assertNotEquals(a.thread(), b.thread());

        for (Seen seen : List.of(a, b)) {
            assertSame(seen.first(), seen.again(), "one instance per loop");
            assertSame(seen.first(), seen.fromDuplicate(), "a duplicated context shares its loop's instance");
            assertEquals(seen.thread(), ((String) seen.first()).split("@")[1], "made on the loop that uses it");
        }
        assertNotSame(a.first(), b.first(), "each loop has its own");

        String offLoop = resources.get();
        assertSame(offLoop, resources.get(), "callers off the event loops share one");
        assertEquals(3, made.get());
        assertEquals(3, resources.all().size());
    }

    private static boolean sameLoop(Context context, String thread) throws Exception {
        CompletableFuture<String> name = new CompletableFuture<>();
        context.runOnContext(ignored -> name.complete(Thread.currentThread().getName()));
        return name.get(10, TimeUnit.SECONDS).equals(thread);
    }

    private static Seen onLoop(Context context, PerEventLoop<String> resources) throws Exception {
        CompletableFuture<Seen> seen = new CompletableFuture<>();
        context.runOnContext(ignored -> {
            String first = resources.get();
            String again = resources.get();
            ContextInternal duplicate = ((ContextInternal) context).duplicate();
            duplicate.runOnContext(alsoIgnored -> seen.complete(
                    new Seen(Thread.currentThread().getName(), first, again, resources.get())));
        });
        return seen.get(10, TimeUnit.SECONDS);
    }
}
