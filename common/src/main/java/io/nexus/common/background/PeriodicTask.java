package io.nexus.common.background;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * A background step run every {@code interval} on a Vert.x timer; a run that is still going when the next one is due
 * makes that one skip, so slow infrastructure never piles runs up. Failures are logged and the next run tries again.
 */
public final class PeriodicTask {

    private final Logger log;
    private final String name;
    private final Supplier<Uni<?>> step;
    private final AtomicBoolean running = new AtomicBoolean();
    private long timer = -1;

    public PeriodicTask(Logger log, String name, Supplier<Uni<?>> step) {
        this.log = log;
        this.name = name;
        this.step = step;
    }

    public void start(Vertx vertx, Duration interval) {
        timer = vertx.setPeriodic(interval.toMillis(), id -> runOnce().subscribe().with(ignored -> {
        }, failure -> {
        }));
    }

    public void stop(Vertx vertx) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    /** One run now, unless one is already going (then nothing); never fails. */
    public Uni<Void> runOnce() {
        if (!running.compareAndSet(false, true)) {
            return Uni.createFrom().voidItem();
        }
        Uni<?> run;
        try {
            run = step.get();
        } catch (RuntimeException e) {
            run = Uni.createFrom().failure(e);
        }
        return run.onFailure().invoke(failure -> log.warnf("%s failed, retrying at the next run: %s", name,
                failure.getMessage()))
                .onFailure().recoverWithNull()
                .onTermination().invoke(() -> running.set(false))
                .replaceWithVoid();
    }
}
