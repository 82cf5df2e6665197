package io.nexus.gateway.ratelimit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * One event loop's leases, by tenant (mode {@code leased}). A request spends one of the tenant's spare tokens if the
 * loop holds one; otherwise it waits for a step in Redis that takes what the waiting requests need plus a few spare
 * tokens (at most one step per tenant in flight, so a burst shares it). Requests made while the bucket is known to be
 * empty are refused here until its next token is due (at most one lease TTL), without asking Redis again.
 *
 * <p>Only its own event loop uses a book, so the lock is never contended; it exists for the one book shared by callers
 * off the event loops. Waiting requests are completed after the lock is released.
 */
final class LeaseBook {

    /** What a book needs from its replica: sending a step to Redis, and how many spare tokens one loop may hold. */
    interface Steps {

        Future<LeaseAnswer> send(String tenantId, long limit, long wanted, long returned, long spent,
                long spentMinute, int waiting);

        long spareFor(long limit);
    }

    /** A tenant not seen for this long is forgotten (once nothing is held or owed for it). */
    private static final long FORGET_AFTER_MS = 60_000;

    private final Steps steps;
    private final long ttlMs;
    private final LongSupplier clock;
    private final Map<String, TenantLease> leases = new HashMap<>();

    LeaseBook(Steps steps, long ttlMs, LongSupplier clock) {
        this.steps = steps;
        this.ttlMs = ttlMs;
        this.clock = clock;
    }

    Future<RateLimitDecision> acquire(String tenantId, long limit) {
        long now = clock.getAsLong();
        Promise<RateLimitDecision> waiter;
        synchronized (this) {
            TenantLease lease = leases.computeIfAbsent(tenantId, TenantLease::new);
            lease.lastUsedMs = now;
            if (lease.limit != limit) {
                // A changed limit (e.g. lowered by an operator): what was leased under the old one is dropped, not
                // given back. The bucket is clamped to the new capacity; tokens given back would refill it above what
                // a lowered limit allows. (A raised limit loses at most one lease.)
                lease.tokens = 0;
                lease.limit = limit;
                lease.refusedUntilMs = 0;
            } else if (lease.tokens > 0 && now - lease.leasedAtMs >= ttlMs) {
                lease.giveBack();
            }
            if (lease.tokens > 0) {
                lease.tokens--;
                meter(lease, now);
                return Future.succeededFuture(lease.localDecision());
            }
            if (now < lease.refusedUntilMs) {
                return Future.succeededFuture(RateLimitDecision.refused(limit, lease.refusedUntilMs - now));
            }
            waiter = Promise.promise();
            lease.waiting.add(waiter);
            if (!lease.stepInFlight) {
                step(lease);
            }
        }
        return waiter.future();
    }

    /** Gives back expired tokens and meters spent ones; forgets tenants long idle. Runs every lease TTL. */
    void upkeep() {
        long now = clock.getAsLong();
        synchronized (this) {
            Iterator<TenantLease> all = leases.values().iterator();
            while (all.hasNext()) {
                TenantLease lease = all.next();
                if (lease.tokens > 0 && now - lease.leasedAtMs >= ttlMs) {
                    lease.giveBack();
                }
                if (lease.returned > 0 || lease.unmetered > 0) {
                    report(lease);
                } else if (lease.idle() && now - lease.lastUsedMs >= FORGET_AFTER_MS) {
                    all.remove();
                }
            }
        }
    }

    /** Gives every unspent token back and meters every spent one (at shutdown); the steps sent. */
    synchronized List<Future<LeaseAnswer>> returnAll() {
        List<Future<LeaseAnswer>> sent = new ArrayList<>();
        for (TenantLease lease : leases.values()) {
            lease.giveBack();
            if (lease.returned > 0 || lease.unmetered > 0) {
                sent.add(report(lease));
            }
        }
        return sent;
    }

    private void meter(TenantLease lease, long now) {
        long minute = now / 60_000;
        if (lease.unmetered > 0 && lease.unmeteredMinute != minute) {
            report(lease); // calls of the minute that just ended are counted in that minute
        }
        lease.unmeteredMinute = minute;
        lease.unmetered++;
    }

    private Future<LeaseAnswer> report(TenantLease lease) {
        Future<LeaseAnswer> sent = steps.send(lease.tenantId, lease.limit, 0, lease.returned, lease.unmetered,
                lease.unmeteredMinute, 0);
        lease.returned = 0;
        lease.unmetered = 0;
        return sent;
    }

    private void step(TenantLease lease) {
        lease.stepInFlight = true;
        int waiting = lease.waiting.size();
        Future<LeaseAnswer> answer = steps.send(lease.tenantId, lease.limit, waiting + steps.spareFor(lease.limit),
                lease.returned, lease.unmetered, lease.unmeteredMinute, waiting);
        lease.returned = 0;
        lease.unmetered = 0;
        answer.onComplete(result -> answered(lease, waiting, result));
    }

    private void answered(TenantLease lease, int waiting, AsyncResult<LeaseAnswer> result) {
        long now = clock.getAsLong();
        List<Completion> completions = new ArrayList<>(lease.waiting.size());
        synchronized (this) {
            lease.stepInFlight = false;
            if (result.failed()) {
                for (int i = 0; i < waiting; i++) {
                    completions.add(new Completion(lease.waiting.poll(), RateLimitDecision.undecided()));
                }
            } else {
                settle(lease, waiting, result.result(), now, completions);
            }
            // Requests that came while the step was out.
            while (!lease.waiting.isEmpty() && lease.tokens > 0) {
                lease.tokens--;
                meter(lease, now);
                completions.add(new Completion(lease.waiting.poll(), lease.localDecision()));
            }
            if (!lease.waiting.isEmpty()) {
                if (now < lease.refusedUntilMs) {
                    RateLimitDecision refused = RateLimitDecision.refused(lease.limit, lease.refusedUntilMs - now);
                    while (!lease.waiting.isEmpty()) {
                        completions.add(new Completion(lease.waiting.poll(), refused));
                    }
                } else {
                    step(lease);
                }
            }
        }
        completions.forEach(Completion::complete);
    }

    private void settle(TenantLease lease, int waiting, LeaseAnswer answer, long now, List<Completion> completions) {
        long admitted = Math.min(answer.granted(), waiting);
        long spare = answer.granted() - admitted;
        if (answer.capacity() == lease.limit) {
            lease.tokens += spare;
            lease.leasedAtMs = now;
        } // else: leased under a limit that has changed since; dropped, as above
        lease.bucketRemaining = answer.remaining();
        for (long i = admitted - 1; i >= 0; i--) {
            completions.add(new Completion(lease.waiting.poll(), RateLimitDecision.allowed(answer.capacity(),
                    answer.remaining() + lease.tokens + i, answer.untilFullMs())));
        }
        if (admitted < waiting) {
            lease.refusedUntilMs = now + Math.min(answer.retryMs(), ttlMs);
            RateLimitDecision refused = RateLimitDecision.refused(answer.capacity(), answer.retryMs());
            for (long i = admitted; i < waiting; i++) {
                completions.add(new Completion(lease.waiting.poll(), refused));
            }
        }
    }

    private record Completion(Promise<RateLimitDecision> promise, RateLimitDecision decision) {

        void complete() {
            promise.complete(decision);
        }
    }
}
