package io.nexus.workflow.engine;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.vertx.core.Vertx;

/**
 * The replica's worker pool as permits: one per running execution. Sync starts may wait a bounded time for one;
 * async starts and claims only take a free one. Never blocks a thread.
 */
final class ExecutionSlots {

    private final Vertx vertx;
    private final int capacity;
    private final ArrayDeque<CompletableFuture<Boolean>> waiters = new ArrayDeque<>();
    private int free;

    ExecutionSlots(Vertx vertx, int capacity) {
        this.vertx = vertx;
        this.capacity = capacity;
        this.free = capacity;
    }

    synchronized boolean tryAcquire() {
        if (free > 0) {
            free--;
            return true;
        }
        return false;
    }

    /** Completes with true once a permit is taken, false if none frees up within {@code wait}. */
    CompletionStage<Boolean> acquire(Duration wait) {
        CompletableFuture<Boolean> waiter = new CompletableFuture<>();
        synchronized (this) {
            if (free > 0) {
                free--;
                return CompletableFuture.completedFuture(true);
            }
            waiters.add(waiter);
        }
        vertx.setTimer(Math.max(1, wait.toMillis()), id -> {
            boolean expired;
            synchronized (this) {
                expired = waiters.remove(waiter);
            }
            if (expired) {
                waiter.complete(false);
            }
        });
        return waiter;
    }

    void release() {
        CompletableFuture<Boolean> next;
        synchronized (this) {
            next = waiters.poll();
            if (next == null) {
                free = Math.min(capacity, free + 1);
                return;
            }
        }
        next.complete(true);
    }

    synchronized int available() {
        return free;
    }

    synchronized int inUse() {
        return capacity - free;
    }
}
