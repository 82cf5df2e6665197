package io.nexus.common.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The {@code Idempotency-Key} contract (docs/api.md §2.7) checked against one creating POST of a service: a retry
 * replays the first answer (status, body, Location) without creating again; another body is 422; a key over 255
 * characters is 400; concurrent requests with one key create once (the others get 409 or the replay); another
 * tenant's key of the same name is independent.
 */
public final class IdempotencyChecks {

    /**
     * One creating POST as one caller. {@code caller} makes a fresh request carrying its identity and content type;
     * {@code created} counts the resources the route creates for that caller. {@code parallelBody} creates another
     * resource than {@code body} (for routes that refuse a duplicate name), null to skip the concurrency check (routes
     * that create one resource per caller at most).
     */
    public record Target(Supplier<RequestSpecification> caller, String path, String body, String otherBody,
            String parallelBody, LongSupplier created) {
    }

    private IdempotencyChecks() {
    }

    /**
     * All the checks; {@code otherTenant} posts the same route shape for another tenant (null for a route without
     * tenants, the platform admin's).
     */
    public static void verify(Target target, Target otherTenant) {
        String key = "key-" + UUID.randomUUID();
        long before = target.created().getAsLong();
        Response first = post(target, key, target.body());
        assertTrue(first.statusCode() >= 200 && first.statusCode() < 300, "first: " + first.asString());
        assertEquals(before + 1, target.created().getAsLong(), "the first request creates");

        Response again = post(target, key, target.body());
        assertSameAnswer(first, again);
        assertEquals(before + 1, target.created().getAsLong(), "a retry creates nothing");

        Response changed = post(target, key, target.otherBody());
        assertEquals(422, changed.statusCode(), changed.asString());
        assertTrue(changed.contentType().startsWith("application/problem+json"), changed.contentType());
        assertEquals(before + 1, target.created().getAsLong(), "a different body under a used key creates nothing");

        Response tooLong = post(target, "k".repeat(256), target.body());
        assertEquals(400, tooLong.statusCode(), tooLong.asString());
        assertEquals(List.of("Idempotency-Key"), tooLong.jsonPath().getList("errors.field"));

        if (otherTenant != null) {
            long otherBefore = otherTenant.created().getAsLong();
            Response foreign = post(otherTenant, key, otherTenant.body());
            assertTrue(foreign.statusCode() >= 200 && foreign.statusCode() < 300, "other tenant: " + foreign.asString());
            assertEquals(otherBefore + 1, otherTenant.created().getAsLong(), "another tenant's key is its own");
            assertNotEquals(first.asString(), foreign.asString(), "another tenant gets its own resource");
        }

        if (target.parallelBody() != null) {
            concurrentRequestsCreateOnce(target);
        }
    }

    private static void concurrentRequestsCreateOnce(Target target) {
        String key = "parallel-" + UUID.randomUUID();
        long before = target.created().getAsLong();
        int parallel = 10;
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Response>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < parallel; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return post(target, key, target.parallelBody());
                }));
            }
            start.countDown();
            List<Response> answers = new ArrayList<>();
            for (Future<Response> future : futures) {
                answers.add(future.get(60, TimeUnit.SECONDS));
            }
            List<Response> successes = answers.stream().filter(a -> a.statusCode() < 300).toList();
            assertTrue(!successes.isEmpty(), "one of them is the first");
            for (Response answer : answers) {
                if (answer.statusCode() >= 300) {
                    assertEquals(409, answer.statusCode(), answer.asString());
                } else {
                    assertSameAnswer(successes.get(0), answer);
                }
            }
            assertEquals(before + 1, target.created().getAsLong(), "exactly one created");
            Response after = post(target, key, target.parallelBody());
            assertSameAnswer(successes.get(0), after);
        } catch (Exception e) {
            throw new AssertionError("concurrent requests failed", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static Response post(Target target, String key, String body) {
        return target.caller().get().header("Idempotency-Key", key).body(body).post(target.path());
    }

    private static void assertSameAnswer(Response first, Response again) {
        assertEquals(first.statusCode(), again.statusCode(), again.asString());
        assertEquals(first.asString(), again.asString(), "the same body");
        assertEquals(first.header("Location"), again.header("Location"));
        assertNotNull(again.contentType());
        assertEquals(first.header("ETag"), again.header("ETag"));
    }
}
