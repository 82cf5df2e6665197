package io.nexus.gateway.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.nexus.common.metering.ApiCallMetering;
import io.nexus.gateway.config.GatewayConfig;
import io.nexus.gateway.redis.EventLoopRedis;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The leased rate limit against real Redis: several "replicas" (instances of their own, as separate gateway processes
 * would have) on real event loops, sharing one tenant's bucket.
 */
@QuarkusTest
class LeasedBucketsTest {

    private static final int EVENT_LOOPS = 4;

    @Inject
    Vertx vertx;
    @Inject
    EventLoopRedis redis;
    @Inject
    FailOpen failOpen;
    @Inject
    GatewayConfig config;
    @Inject
    ReactiveRedisDataSource redisData;

    private final List<LeasedBuckets> replicas = new ArrayList<>();

    @AfterEach
    void stopReplicas() {
        replicas.forEach(replica -> replica.returnLeases(Duration.ofSeconds(2)));
    }

    @Test
    void aTenantGetsAtMostItsLimitPlusOneLeasePerReplicaAndMostRequestsNeedNoRoundTrip() throws Exception {
        String tenant = UUID.randomUUID().toString();
        long limit = 1200; // 20 tokens a second: a lease L = min(100, 1200 / 60) = 20 per replica, 5 per event loop
        LeasedBuckets first = replica();
        LeasedBuckets second = replica();
        List<Context> loops = new ArrayList<>();
        for (int i = 0; i < EVENT_LOOPS; i++) {
            loops.add(vertx.getOrCreateContext()); // new contexts go round-robin over the event loops
        }
        long started = System.nanoTime();
        List<CompletableFuture<List<RateLimitDecision>>> bursts = new ArrayList<>();
        for (int round = 0; round < 40; round++) {
            for (int i = 0; i < loops.size(); i++) {
                bursts.add(burst(loops.get(i), i % 2 == 0 ? first : second, tenant, limit, 15));
            }
            Thread.sleep(5); // paces the load over about a second (the refill is part of the bound): not a wait
        }
        long admitted = 0;
        long decided = 0;
        for (CompletableFuture<List<RateLimitDecision>> burst : bursts) {
            for (RateLimitDecision decision : burst.get(10, TimeUnit.SECONDS)) {
                admitted += decision.allowed() ? 1 : 0;
                decided += decision.decided() ? 1 : 0;
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long requests = 40L * EVENT_LOOPS * 15;
        assertEquals(requests, decided, "Redis answered every step");
        long refill = (long) Math.ceil(seconds * limit / 60.0);
        long leases = 2 * 20;
        assertTrue(admitted <= limit + refill + leases,
                admitted + " admitted; bound " + limit + " + refill " + refill + " + 2 leases of 20");
        assertTrue(admitted >= limit - leases, admitted + " admitted: the bucket's tokens were not all used");
        long steps = first.stepsSent() + second.stepsSent();
        assertTrue(steps * 3 < requests, steps + " steps in Redis for " + requests + " requests");
    }

    @Test
    void unspentTokensGoBackAndSpentOnesAreMeteredAtShutdown() throws Exception {
        String tenant = UUID.randomUUID().toString();
        long limit = 6000; // L = 100: 25 spare tokens per event loop
        LeasedBuckets replica = replica();
        Context loop = vertx.getOrCreateContext();
        assertTrue(burst(loop, replica, tenant, limit, 1).get(5, TimeUnit.SECONDS).get(0).allowed());
        double held = 6000 - tokens(tenant);
        assertTrue(held >= 20, "one request took its token and spare ones: " + held);
        List<RateLimitDecision> fromSpares = burst(loop, replica, tenant, limit, 5).get(5, TimeUnit.SECONDS);
        assertTrue(fromSpares.stream().allMatch(RateLimitDecision::allowed));
        assertEquals(1, replica.stepsSent(), "the five came from spare tokens");
        assertEquals(1, calls(tenant), "only the first is metered yet");

        replica.returnLeases(Duration.ofSeconds(2));
        assertTrue(6000 - tokens(tenant) < 7, "six spent, the rest back: " + (6000 - tokens(tenant)));
        assertEquals(6, calls(tenant));
    }

    @Test
    void spareTokensNotSpentWithinTheTtlGoBackAndSpentOnesAreMetered() throws Exception {
        String tenant = UUID.randomUUID().toString();
        LeasedBuckets replica = replica();
        Context loop = vertx.getOrCreateContext();
        burst(loop, replica, tenant, 6000, 3).get(5, TimeUnit.SECONDS);
        assertTrue(6000 - tokens(tenant) >= 20);
        Awaitility.await().atMost(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            assertTrue(6000 - tokens(tenant) < 4);
            assertEquals(3, calls(tenant));
        });
    }

    @Test
    void aLoweredLimitHoldsOnEveryReplicaAtItsNextRequest() throws Exception {
        String tenant = UUID.randomUUID().toString();
        LeasedBuckets first = replica();
        LeasedBuckets second = replica();
        Context firstLoop = vertx.getOrCreateContext();
        Context secondLoop = vertx.getOrCreateContext();
        burst(firstLoop, first, tenant, 6000, 1).get(5, TimeUnit.SECONDS);
        burst(secondLoop, second, tenant, 6000, 1).get(5, TimeUnit.SECONDS);
        // Both hold spare tokens under 6,000 a minute; the operator lowers the tenant to 2.
        long admitted = 0;
        for (int i = 0; i < 3; i++) {
            admitted += burst(firstLoop, first, tenant, 2, 1).get(5, TimeUnit.SECONDS).get(0).allowed() ? 1 : 0;
            admitted += burst(secondLoop, second, tenant, 2, 1).get(5, TimeUnit.SECONDS).get(0).allowed() ? 1 : 0;
        }
        assertEquals(2, admitted, "the spare tokens leased under the old limit were given back, not spent");
        RateLimitDecision refused = burst(firstLoop, first, tenant, 2, 1).get(5, TimeUnit.SECONDS).get(0);
        assertFalse(refused.allowed());
        assertTrue(refused.retryAfterSeconds() >= 1 && refused.retryAfterSeconds() <= 30);
    }

    @Test
    void smallLimitsHaveNoSpareTokensSoTheyStayExact() throws Exception {
        String tenant = UUID.randomUUID().toString();
        LeasedBuckets first = replica();
        LeasedBuckets second = replica();
        long admitted = 0;
        for (int i = 0; i < 4; i++) {
            admitted += burst(vertx.getOrCreateContext(), i % 2 == 0 ? first : second, tenant, 3, 2)
                    .get(5, TimeUnit.SECONDS).stream().filter(RateLimitDecision::allowed).count();
        }
        assertEquals(3, admitted);
    }

    @Test
    void strictModeAsksRedisForEachRequest() throws Exception {
        String tenant = UUID.randomUUID().toString();
        StrictBuckets strict = new StrictBuckets(vertx, redis, failOpen, config);
        for (int remaining = 2; remaining >= 0; remaining--) {
            RateLimitDecision decision = strict.acquire(tenant, 3).toCompletionStage().toCompletableFuture()
                    .get(5, TimeUnit.SECONDS);
            assertTrue(decision.allowed());
            assertEquals(remaining, decision.remaining());
        }
        RateLimitDecision refused = strict.acquire(tenant, 3).toCompletionStage().toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        assertFalse(refused.allowed());
        assertEquals(3, calls(tenant));
    }

    private LeasedBuckets replica() {
        LeasedBuckets replica = new LeasedBuckets(vertx, redis, failOpen, config, Optional.of(EVENT_LOOPS));
        replicas.add(replica);
        return replica;
    }

    /** {@code n} requests at once on one event loop, as a burst of requests handled by that loop would make them. */
    private static CompletableFuture<List<RateLimitDecision>> burst(Context loop, LeasedBuckets replica,
            String tenant, long limit, int n) {
        CompletableFuture<List<RateLimitDecision>> decisions = new CompletableFuture<>();
        loop.runOnContext(ignored -> {
            List<Future<RateLimitDecision>> pending = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                pending.add(replica.acquire(tenant, limit));
            }
            Future.all(pending).onComplete(all -> decisions.complete(pending.stream().map(Future::result).toList()));
        });
        return decisions;
    }

    private double tokens(String tenant) {
        String tokens = redisData.hash(String.class).hget(TenantBuckets.bucketKey(config.rateLimit().keyPrefix(),
                tenant), "tokens").await().atMost(Duration.ofSeconds(2));
        return Double.parseDouble(tokens);
    }

    /**
     * The tenant's metered calls. Calls are counted under the minute they were admitted in, and a test may cross a
     * minute boundary, so this adds the current minute and the one before (each test's tenant is new).
     */
    private long calls(String tenant) {
        long minute = System.currentTimeMillis() / 60_000;
        return callsIn(tenant, minute - 1) + callsIn(tenant, minute);
    }

    private long callsIn(String tenant, long minute) {
        String calls = redisData.value(String.class).get(ApiCallMetering.key(config.rateLimit().keyPrefix(), tenant,
                minute)).await().atMost(Duration.ofSeconds(2));
        return calls == null ? 0 : Long.parseLong(calls);
    }
}
