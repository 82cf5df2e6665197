package io.nexus.gateway.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.nexus.common.metering.ApiCallMetering;
import io.nexus.gateway.config.GatewayConfig;
import io.nexus.gateway.eventloop.PerEventLoop;
import io.nexus.gateway.redis.EventLoopRedis;
import io.nexus.gateway.redis.LuaScript;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Response;

/**
 * Mode {@code leased} (the default): each event loop of a replica takes tokens from the tenant's bucket in Redis in
 * small batches ({@link LeaseBook}) and admits most requests from them without a round trip, as Kong's {@code sync_rate}
 * and quota leasing in Envoy's and Google's limiters do. Admitted calls are metered with the next step, at the latest
 * one lease TTL later.
 *
 * <p><b>The bound.</b> A replica holds at most {@code L = min(lease-size, apiCallsPerMinute / 60)} unspent tokens of a
 * tenant (split between its event loops), and they were taken from the shared bucket. So with {@code R} replicas a
 * tenant is admitted at most what the strict bucket admits plus {@code R × L} in any window; tenants under 60 calls per
 * minute per event loop get no spare tokens at all and are decided exactly as in strict mode. Spare tokens go back to
 * the bucket after {@code lease-ttl} (1 s) and at shutdown. When the tenant's limit changes, each replica drops its
 * spare tokens at its next request under the new limit, so a lowered limit holds as in strict mode (the bucket is
 * clamped to it). A revoked key or a suspended tenant is refused before the rate limit is asked at all.
 */
@Singleton
public class LeasedBuckets implements LeaseBook.Steps {

    private static final Logger LOG = Logger.getLogger(LeasedBuckets.class);

    private final Vertx vertx;
    private final EventLoopRedis redis;
    private final FailOpen failOpen;
    private final LuaScript tokenLease = new LuaScript(LuaScript.load("/lua/token-lease.lua"));
    private final String keyPrefix;
    private final long timeoutMs;
    private final long leaseSize;
    private final long ttlMs;
    private final int eventLoops;
    private final PerEventLoop<LeaseBook> books = new PerEventLoop<>(this::newBook);
    private final List<Long> upkeepTimers = new ArrayList<>();
    private final AtomicLong stepsSent = new AtomicLong();
    private volatile boolean closing;

    public LeasedBuckets(Vertx vertx, EventLoopRedis redis, FailOpen failOpen, GatewayConfig config,
            @ConfigProperty(name = "quarkus.vertx.event-loops-pool-size") Optional<Integer> eventLoops) {
        this.vertx = vertx;
        this.redis = redis;
        this.failOpen = failOpen;
        this.keyPrefix = config.rateLimit().keyPrefix();
        this.timeoutMs = config.rateLimit().redisTimeout().toMillis();
        this.leaseSize = Math.max(0, config.rateLimit().leaseSize());
        this.ttlMs = Math.max(1, config.rateLimit().leaseTtl().toMillis());
        // Quarkus's own default: two event loops per core.
        this.eventLoops = Math.max(1, eventLoops.orElse(2 * Runtime.getRuntime().availableProcessors()));
    }

    /** The decision for one request; never fails (an unanswered step is an undecided, allowed request). */
    public Future<RateLimitDecision> acquire(String tenantId, long limitPerMinute) {
        return books.get().acquire(tenantId, limitPerMinute);
    }

    /** Spare tokens one event loop may hold for a tenant: its share of the replica's lease. */
    @Override
    public long spareFor(long limitPerMinute) {
        if (closing) {
            return 0;
        }
        return Math.min(leaseSize, Math.max(0, limitPerMinute) / 60) / eventLoops;
    }

    @Override
    public Future<LeaseAnswer> send(String tenantId, long limit, long wanted, long returned, long spent,
            long spentMinute, int waiting) {
        stepsSent.incrementAndGet();
        long minute = System.currentTimeMillis() / 60_000;
        List<String> keys = List.of(TenantBuckets.bucketKey(keyPrefix, tenantId),
                ApiCallMetering.key(keyPrefix, tenantId, spent > 0 ? spentMinute : minute),
                ApiCallMetering.key(keyPrefix, tenantId, minute));
        List<String> args = List.of(Long.toString(limit), Long.toString(wanted), Long.toString(returned),
                Long.toString(spent), Integer.toString(waiting));
        Promise<LeaseAnswer> result = Promise.promise();
        long timer = vertx.setTimer(timeoutMs, id -> fail(result,
                new TimeoutException("no answer within " + timeoutMs + " ms")));
        tokenLease.run(redis, keys, args).onComplete(answer -> {
            vertx.cancelTimer(timer);
            if (answer.failed()) {
                fail(result, answer.cause());
                return;
            }
            try {
                result.tryComplete(parse(answer.result()));
            } catch (RuntimeException e) {
                fail(result, e);
            }
        });
        return result.future();
    }

    /** Steps sent to Redis so far (for tests: leasing must save most of them). */
    long stepsSent() {
        return stepsSent.get();
    }

    /**
     * At shutdown, before the Redis connections close: unspent tokens go back to the buckets and spent ones are
     * metered, so a rolling restart neither strands tokens for a TTL nor loses usage.
     */
    void returnLeasesAtShutdown(@Observes @Priority(100) ShutdownEvent event) {
        returnLeases(Duration.ofSeconds(2));
    }

    void returnLeases(Duration wait) {
        closing = true;
        synchronized (upkeepTimers) {
            upkeepTimers.forEach(vertx::cancelTimer);
        }
        List<Future<LeaseAnswer>> sent = new ArrayList<>();
        books.all().forEach(book -> sent.addAll(book.returnAll()));
        if (sent.isEmpty()) {
            return;
        }
        try {
            Future.join(sent).toCompletionStage().toCompletableFuture().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            LOG.infof("Returned the rate-limit leases of %d tenant(s)", sent.size());
        } catch (Exception e) {
            LOG.warnf("Not every rate-limit lease could be returned (%s); they expire in Redis as tokens refill",
                    e.getMessage());
        }
    }

    private LeaseBook newBook() {
        LeaseBook book = new LeaseBook(this, ttlMs, System::currentTimeMillis);
        synchronized (upkeepTimers) {
            // Made on the loop that owns the book, so the upkeep runs on that loop too.
            upkeepTimers.add(vertx.setPeriodic(ttlMs, id -> book.upkeep()));
        }
        return book;
    }

    private void fail(Promise<LeaseAnswer> result, Throwable failure) {
        if (result.tryFail(failure)) {
            failOpen.record(failure);
        }
    }

    private static LeaseAnswer parse(Response response) {
        return new LeaseAnswer(response.get(0).toLong(), response.get(1).toLong(), response.get(2).toLong(),
                response.get(3).toLong(), response.get(4).toLong());
    }
}
