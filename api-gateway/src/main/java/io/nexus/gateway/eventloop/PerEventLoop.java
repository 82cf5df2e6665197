package io.nexus.gateway.eventloop;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.vertx.core.Context;

/**
 * One instance of a resource (an HTTP client, a Redis connection) per Vert.x event loop, made on that loop the first
 * time the loop asks for it. A request handled on an event loop then talks to the services and to Redis over
 * connections owned by the same loop: no hop to another thread to write the call, none to hand the answer back.
 * Shared resources would serve each request over whichever connection is free, usually another loop's, at the price
 * of two thread hand-offs (and wake-ups) per call.
 *
 * <p>Callers that are not on an event loop (tests, worker threads) share one extra instance.
 */
public final class PerEventLoop<T> {

    private final Supplier<T> factory;
    private final Map<Thread, T> byLoop = new ConcurrentHashMap<>();
    private T shared;

    public PerEventLoop(Supplier<T> factory) {
        this.factory = factory;
    }

    /** This event loop's instance (made now if it has none), or the shared one off the event loops. */
    public T get() {
        if (!Context.isOnEventLoopThread()) {
            return shared();
        }
        Thread loop = Thread.currentThread();
        T instance = byLoop.get(loop);
        if (instance == null) {
            // Only this thread adds its own entry, so there is no race to make two.
            instance = factory.get();
            byLoop.put(loop, instance);
        }
        return instance;
    }

    private synchronized T shared() {
        if (shared == null) {
            shared = factory.get();
        }
        return shared;
    }

    /** Every instance made so far (for closing them). */
    public synchronized List<T> all() {
        List<T> all = new ArrayList<>(byLoop.values());
        if (shared != null) {
            all.add(shared);
        }
        return all;
    }
}
