package io.nexus.workflow.engine;

import static io.nexus.workflow.engine.RunHarness.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.nexus.events.execution.ExecutionStarted;
import io.nexus.events.execution.StepCompleted;
import io.nexus.workflow.domain.ExecutionError;
import io.nexus.workflow.domain.ExecutionMode;
import io.nexus.workflow.domain.ExecutionRecord;
import io.nexus.workflow.domain.ExecutionStatus;
import io.nexus.workflow.domain.StepRecord;
import io.nexus.workflow.domain.StepStatus;
import io.vertx.pgclient.PgException;
import io.nexus.workflow.repository.ExecutionRepository.Lineage;
import io.nexus.workflow.repository.WorkflowRepository.VersionRef;

/**
 * The scheduler's loop and its parts against a fake replica: what runs, what is committed together and when, how
 * waits, signals, children, failures, deadlines and cancels end or park the run. Pure and deterministic: no database,
 * no Vert.x, a clock that moves only when the test says so.
 */
class ExecutionRunTest {

    private static final String CHAIN = """
            {`name`: `chain`,
             `nodes`: [{`id`: `double`, `type`: `transform`, `config`: {`expression`: `{'y': inputs.x * 2}`}},
                       {`id`: `inc`, `type`: `transform`, `config`: {`expression`: `nodes.double.y + 1`}}],
             `edges`: [{`from`: `double`, `to`: `inc`}]}""";

    private final RunHarness harness = new RunHarness();
    private final FakeRunServices services = harness.services;

    @Test
    void pureNodesAreCommittedOnceWithTheEnd() {
        harness.start(CHAIN, "{`x`: 5}", List.of());

        ExecutionResult outcome = harness.outcome();
        assertEquals(ExecutionStatus.COMPLETED, outcome.status());
        assertEquals(json("{`inc`: 11}"), outcome.outputs());
        assertEquals(List.of("end"), services.commits.stream().map(FakeRunServices.Commit::kind).toList());
        assertEquals(List.of("double:completed", "inc:completed"), harness.steps("end"));
        assertEquals(outcome, services.released);
    }

    @Test
    void workflowsWithStepEventsPublishOnePerFinishedStep() {
        harness.start(CHAIN.replace("`name`: `chain`,", "`name`: `chain`, `events`: `steps`,"), "{`x`: 1}",
                List.of());

        List<String> published = services.commits("end").get(0).batch().events().stream()
                .map(event -> ((StepCompleted) event).node()).toList();
        assertEquals(List.of("double", "inc"), published);
    }

    @Test
    void anEventNodeCommitsWithTheStepsDecidedBeforeIt() {
        harness.start("""
                {`name`: `announce`,
                 `nodes`: [{`id`: `total`, `type`: `transform`, `config`: {`expression`: `inputs.x + 1`}},
                           {`id`: `tell`, `type`: `event`, `config`: {`type`: `order.total`, `data`: `nodes.total`}},
                           {`id`: `after`, `type`: `transform`, `config`: {`expression`: `nodes.total * 10`}}],
                 `edges`: [{`from`: `total`, `to`: `tell`}, {`from`: `tell`, `to`: `after`}]}""", "{`x`: 1}",
                List.of());

        assertEquals(ExecutionStatus.COMPLETED, harness.outcome().status());
        assertEquals(List.of("total:completed", "tell:completed"), harness.steps("boundary"));
        FakeRunServices.Commit boundary = services.commits("boundary").get(0);
        assertEquals("order.total", boundary.integrationEvent().type());
        assertEquals(json("2"), boundary.integrationEvent().data());
        assertEquals(List.of("after:completed"), harness.steps("end"));
    }

    @Test
    void aFailedBoundaryIsRetriedAndTheStepsBeforeItAreNotLost() {
        services.answer("boundary", new IllegalStateException("connection reset"), Boolean.TRUE);
        harness.start("""
                {`name`: `announce`,
                 `nodes`: [{`id`: `total`, `type`: `transform`, `config`: {`expression`: `inputs.x + 1`}},
                           {`id`: `tell`, `type`: `event`, `config`: {`type`: `t`, `data`: `nodes.total`},
                            `retry`: {`maxAttempts`: 2, `backoffMs`: 100}}],
                 `edges`: [{`from`: `total`, `to`: `tell`}]}""", "{`x`: 1}", List.of());
        assertFalse(harness.result.isDone(), "the retry waits for its backoff");

        services.advance(Duration.ofMillis(100));

        assertEquals(ExecutionStatus.COMPLETED, harness.outcome().status());
        assertEquals(List.of("total:completed", "tell:completed", "total:completed", "tell:completed"),
                harness.steps("boundary"), "the second boundary writes again what the failed one could not");
        StepRecord tell = services.commits("boundary").get(1).batch().steps().get(1);
        assertEquals(2, tell.attempts());
        assertEquals(List.of(), harness.steps("end"));
    }

    @Test
    void aBoundaryThatCannotBeCommittedFailsTheNodeAsUnavailable() {
        services.answer("boundary", new IllegalStateException("connection reset"));
        harness.start("""
                {`name`: `announce`,
                 `nodes`: [{`id`: `total`, `type`: `transform`, `config`: {`expression`: `inputs.x + 1`}},
                           {`id`: `tell`, `type`: `event`, `config`: {`type`: `t`, `data`: `nodes.total`}}],
                 `edges`: [{`from`: `total`, `to`: `tell`}]}""", "{`x`: 1}", List.of());

        ExecutionResult outcome = harness.outcome();
        assertEquals(ExecutionStatus.FAILED, outcome.status());
        assertEquals(new ExecutionError(ExecutionError.UNAVAILABLE,
                "the event could not be recorded: the database did not answer", "tell"), outcome.error());
        assertEquals(List.of("total:completed", "tell:failed"), harness.steps("end"));
    }

    @Test
    void aFailingNodeIsRetriedThenFailsTheExecution() {
        harness.start("""
                {`name`: `flaky`,
                 `nodes`: [{`id`: `a`, `type`: `transform`, `config`: {`expression`: `inputs.nope.y`},
                            `retry`: {`maxAttempts`: 3, `backoffMs`: 50}},
                           {`id`: `b`, `type`: `transform`, `config`: {`expression`: `1`}}],
                 `edges`: [{`from`: `a`, `to`: `b`}]}""", "{}", List.of());
        services.advance(Duration.ofMillis(49));
        assertFalse(harness.result.isDone());

        services.advance(Duration.ofMillis(51));

        ExecutionResult outcome = harness.outcome();
        assertEquals(ExecutionStatus.FAILED, outcome.status());
        assertEquals(ExecutionError.EXPRESSION, outcome.error().code());
        assertEquals("a", outcome.error().node());
        StepRecord a = services.commits("end").get(0).batch().steps().get(0);
        assertEquals(3, a.attempts());
        assertEquals(List.of("a:failed", "b:cancelled"), harness.steps("end"));
    }

    @Test
    void onErrorContinueGivesTheErrorToTheNextNodes() {
        harness.start("""
                {`name`: `tolerant`,
                 `nodes`: [{`id`: `a`, `type`: `transform`, `config`: {`expression`: `inputs.nope.y`},
                            `onError`: `continue`},
                           {`id`: `b`, `type`: `transform`, `config`: {`expression`: `nodes.a.error.code`}}],
                 `edges`: [{`from`: `a`, `to`: `b`}]}""", "{}", List.of());

        ExecutionResult outcome = harness.outcome();
        assertEquals(ExecutionStatus.COMPLETED, outcome.status());
        assertEquals(json("{`b`: `expression`}"), outcome.outputs());
        assertEquals(List.of("a:failed", "b:completed"), harness.steps("end"));
    }

    @Test
    void aShortDelayStaysInMemory() {
        harness.start("""
                {`name`: `pause`, `nodes`: [{`id`: `nap`, `type`: `delay`, `config`: {`durationMs`: 500}}]}""",
                "{}", List.of());
        assertFalse(harness.result.isDone());

        services.advance(Duration.ofMillis(500));

        assertEquals(ExecutionStatus.COMPLETED, harness.outcome().status());
        assertEquals("2026-01-01T00:00:00.500Z", harness.outcome().outputs().path("nap").path("firedAt").asText());
        assertTrue(services.commits("park").isEmpty());
    }

    @Test
    void aLongDelayParksTheExecutionUntilItIsDue() {
        harness.start("""
                {`name`: `pause`,
                 `nodes`: [{`id`: `first`, `type`: `transform`, `config`: {`expression`: `1`}},
                           {`id`: `nap`, `type`: `delay`, `config`: {`durationMs`: 60000}}],
                 `edges`: [{`from`: `first`, `to`: `nap`}]}""", "{}", List.of());

        FakeRunServices.Commit park = services.commits("park").get(0);
        assertEquals(Instant.parse("2026-01-01T00:01:00Z"), park.wakeAt());
        assertEquals(List.of("first:completed", "nap:waiting"), harness.steps("park"));
        assertEquals(json("{`dueAt`: `2026-01-01T00:01:00Z`}"), park.batch().steps().get(1).output());
        assertTrue(services.parked);
        assertEquals(park.wakeAt(), services.parkedUntil);
        assertFalse(harness.result.isDone(), "a sync caller keeps waiting across the park");
        assertEquals(0, services.pendingTimers(), "a parked run leaves no timer behind");
    }

    @Test
    void aParkThatCannotBeCommittedWaitsInMemoryAndTriesAgain() {
        services.answer("park", new IllegalStateException("database down"), Boolean.TRUE);
        harness.start("""
                {`name`: `pause`, `nodes`: [{`id`: `nap`, `type`: `delay`, `config`: {`durationMs`: 60000}}]}""",
                "{}", List.of());
        assertFalse(services.parked);

        services.advance(Duration.ofSeconds(1));

        assertEquals(2, services.commits("park").size());
        assertTrue(services.parked);
    }

    @Test
    void aRedrivenRunWaitsForWhatIsLeftOfAParkedDelay() {
        StepRecord parked = new StepRecord("nap", 0, StepStatus.WAITING, 1, services.now.minusSeconds(59), null,
                json("{`dueAt`: `2026-01-01T00:00:00.300Z`}"), null);
        harness.start("""
                {`name`: `pause`, `nodes`: [{`id`: `nap`, `type`: `delay`, `config`: {`durationMs`: 60000}}]}""",
                "{}", List.of(parked));
        assertFalse(harness.result.isDone());

        services.advance(Duration.ofMillis(300));

        assertEquals(ExecutionStatus.COMPLETED, harness.outcome().status());
        assertTrue(services.commits("park").isEmpty());
    }

    @Test
    void committedStepsAreReplayedNotRunAgain() {
        StepRecord done = new StepRecord("double", 0, StepStatus.COMPLETED, 1, services.now, services.now,
                json("{`y`: 99}"), null);
        harness.start(CHAIN, "{`x`: 5}", List.of(done));

        assertEquals(json("{`inc`: 100}"), harness.outcome().outputs());
        assertEquals(List.of("inc:completed"), harness.steps("end"), "the replayed step is not written again");
    }

    @Test
    void aWaitTakesASignalStoredBeforeIt() {
        services.signals.put("approve", new ArrayDeque<>(List.of(json("{`by`: `ann`}"))));
        harness.start(WAIT_FOR_APPROVAL.formatted(60000), "{}", List.of());

        assertEquals(json("{`ask`: {`by`: `ann`}}"), harness.outcome().outputs());
        assertEquals(List.of("ask:completed"), harness.steps("signal"),
                "the node's step commits with the signal it consumed");
        assertEquals(List.of(), harness.steps("end"));
    }

    @Test
    void aWaitWithoutASignalParksUntilItsTimeout() {
        harness.start(WAIT_FOR_APPROVAL.formatted(600000), "{}", List.of());

        FakeRunServices.Commit park = services.commits("park").get(0);
        assertEquals(Instant.parse("2026-01-01T00:10:00Z"), park.wakeAt());
        assertEquals(json("{`dueAt`: `2026-01-01T00:10:00Z`, `signal`: `approve`}"),
                park.batch().steps().get(0).output());
    }

    @Test
    void aSignalSentWhileAShortWaitRunsResumesIt() {
        harness.start(WAIT_FOR_APPROVAL.formatted(800), "{}", List.of());
        services.advance(Duration.ofMillis(300));
        assertFalse(harness.result.isDone());

        services.signals.put("approve", new ArrayDeque<>(List.of(json("42"))));
        harness.run.signalled();

        assertEquals(json("{`ask`: 42}"), harness.outcome().outputs());
        assertEquals(0, services.pendingTimers(), "the wait's timeout timer is cancelled");
    }

    @Test
    void aWaitWithoutSignalTimesOut() {
        harness.start(WAIT_FOR_APPROVAL.formatted(800), "{}", List.of());

        services.advance(Duration.ofMillis(800));

        ExecutionResult outcome = harness.outcome();
        assertEquals(ExecutionStatus.FAILED, outcome.status());
        assertEquals(new ExecutionError(ExecutionError.TIMEOUT, "no signal 'approve' arrived within 800 ms", "ask"),
                outcome.error());
    }

    @Test
    void theDeadlineFailsTheExecutionAndCancelsWhatWaits() {
        harness.start("""
                {`name`: `pause`, `nodes`: [{`id`: `nap`, `type`: `delay`, `config`: {`durationMs`: 900}}]}""",
                "{}", List.of(), services.now.plusMillis(500));

        services.advance(Duration.ofMillis(500));

        ExecutionResult outcome = harness.outcome();
        assertEquals(ExecutionStatus.FAILED, outcome.status());
        assertEquals(ExecutionError.TIMEOUT, outcome.error().code());
        assertNull(outcome.error().node());
        assertEquals(List.of("nap:cancelled"), harness.steps("end"));
        assertEquals(0, services.pendingTimers());
    }

    @Test
    void aCancelCommittedElsewhereStopsTheRunWithoutWriting() {
        harness.start(WAIT_FOR_APPROVAL.formatted(800), "{}", List.of());

        harness.run.cancelled();

        assertEquals(ExecutionStatus.CANCELLED, harness.outcome().status());
        assertTrue(services.commits.isEmpty());
        assertEquals(harness.outcome(), services.released);
        assertEquals(0, services.pendingTimers());
    }

    @Test
    void anEndThatFindsTheExecutionEndedAnswersCancelled() {
        services.answer("end", Boolean.FALSE);
        harness.start(CHAIN, "{`x`: 1}", List.of());

        assertEquals(ExecutionStatus.CANCELLED, harness.outcome().status());
    }

    @Test
    void anEndThatCannotBeCommittedIsRetriedThenLeftToBeRedriven() {
        for (int i = 0; i < 5; i++) {
            services.answer("end", new IllegalStateException("database down"));
        }
        harness.start(CHAIN, "{`x`: 1}", List.of());

        services.advance(Duration.ofSeconds(10));

        assertEquals(5, services.commits("end").size());
        assertTrue(harness.result.isCompletedExceptionally());
        assertTrue(services.releasedWithoutResult);
    }

    @Test
    void aSubworkflowStartsItsChildAndEndsWithItsOutputs() {
        services.childPlan = new ChildPlan(new Lineage(0, UUID.randomUUID(), List.of()),
                new VersionRef(UUID.randomUUID(), 3), RunHarness.compile(CHAIN));
        harness.start(PARENT, "{`x`: 4}", List.of());

        FakeRunServices.Commit started = services.commits("child").get(0);
        assertEquals(List.of("prepare:completed", "call:waiting"), harness.steps("child"));
        ExecutionStarted childStarted = (ExecutionStarted) started.batch().events().get(0);
        assertEquals(harness.execution.id().toString(), childStarted.parentExecutionId());
        assertEquals(3, childStarted.version());
        UUID childId = UUID.fromString(childStarted.executionId());
        assertEquals(List.of(childId), services.childrenStarted);
        assertEquals(json("{`x`: 5}"), services.childExecutions.get(childId).inputs());
        FakeRunServices.Commit park = services.commits("park").get(0);
        assertNull(park.wakeAt(), "only the child's end wakes the parent");
        assertEquals(List.of("call:waiting"), harness.steps("park"));

        // The child ends; its end makes the parent due, and a claim re-drives it from its committed steps.
        ExecutionRecord child = services.childExecutions.get(childId);
        RunHarness redriven = new RunHarness();
        redriven.services.childExecutions.put(childId, ended(child, ExecutionStatus.COMPLETED, json("{`inc`: 11}")));
        redriven.start(PARENT, "{`x`: 4}", List.of(started.batch().steps().get(0), park.batch().steps().get(0)));

        assertEquals(json("{`call`: {`inc`: 11}}"), redriven.outcome().outputs());
        assertEquals(List.of("call:completed"), redriven.steps("end"));
    }

    @Test
    void aSubworkflowAlreadyInTheChainFailsAsRecursion() {
        services.childPlan = new ChildPlan(new Lineage(1, UUID.randomUUID(), List.of("chain")),
                new VersionRef(UUID.randomUUID(), 1), RunHarness.compile(CHAIN));
        harness.start(PARENT, "{`x`: 4}", List.of());

        ExecutionResult outcome = harness.outcome();
        assertEquals(ExecutionError.RECURSION, outcome.error().code());
        assertEquals("call", outcome.error().node());
        assertTrue(services.commits("child").isEmpty());
    }

    @Test
    void anHttpCallCommitsItsResultAtOnce() {
        services.http = spec -> NodeOutcome.success(json("{`status`: 200, `headers`: {}, `body`: {`ok`: true}}"));
        harness.start("""
                {`name`: `fetch`,
                 `nodes`: [{`id`: `get`, `type`: `http`,
                            `config`: {`method`: `GET`, `url`: `'https://example.com/' + inputs.id`}},
                           {`id`: `ok`, `type`: `transform`, `config`: {`expression`: `nodes.get.body.ok`}}],
                 `edges`: [{`from`: `get`, `to`: `ok`}]}""", "{`id`: `7`}", List.of());

        assertEquals(json("{`ok`: true}"), harness.outcome().outputs());
        assertEquals(List.of("get:completed"), harness.steps("boundary"));
        assertEquals(List.of("ok:completed"), harness.steps("end"));
    }

    @Test
    void aTransformProducingANulCharacterFailsTheNodeNotTheCommit() {
        harness.start("""
                {`name`: `nul`,
                 `nodes`: [{`id`: `text`, `type`: `transform`,
                            `config`: {`expression`: `{'v': 'a' + inputs.s + 'b'}`}}]}""",
                "{`s`: `\\u0000`}", List.of());

        ExecutionResult outcome = harness.outcome();
        assertEquals(ExecutionStatus.FAILED, outcome.status());
        assertEquals(ExecutionError.EXPRESSION, outcome.error().code());
        assertTrue(outcome.error().message().contains("U+0000"), outcome.error().message());
        assertEquals(1, services.commits("end").size(), "one end commit, which PostgreSQL can store");
    }

    @Test
    void anEndThatCanNeverBeStoredEndsFailedWithoutTheResultsInsteadOfLooping() {
        services.answer("end", new PgException("unsupported Unicode escape sequence", "ERROR", "22P05",
                "\\u0000 cannot be converted to text."));
        harness.start(CHAIN, "{`x`: 1}", List.of());

        ExecutionResult outcome = harness.outcome();
        assertEquals(ExecutionStatus.FAILED, outcome.status());
        assertEquals(ExecutionError.LIMIT, outcome.error().code());
        assertTrue(outcome.error().message().contains("22P05"), outcome.error().message());
        List<FakeRunServices.Commit> ends = services.commits("end");
        assertEquals(2, ends.size(), "at once, not after the transient retries");
        assertNull(ends.get(1).outputs());
        assertEquals(List.of("double:completed", "inc:completed"), harness.steps("end").subList(2, 4));
        assertTrue(ends.get(1).batch().steps().stream().allMatch(step -> step.output() == null));
        assertFalse(services.releasedWithoutResult);
    }

    @Test
    void anEndStillRefusedWithoutItsResultsIsNotRetriedForever() {
        for (int i = 0; i < 20; i++) {
            services.answer("end", new PgException("value too long", "ERROR", "22001", null));
        }
        harness.start(CHAIN, "{`x`: 1}", List.of());

        services.advance(Duration.ofMinutes(10));

        assertTrue(services.commits("end").size() <= 6, "bounded: " + services.commits("end").size());
        assertTrue(harness.result.isDone());
    }

    @Test
    void aParkThatCanNeverBeStoredFailsTheExecution() {
        services.answer("park", new PgException("unsupported Unicode escape sequence", "ERROR", "22P05", null));
        harness.start(String.format(WAIT_FOR_APPROVAL, 3_600_000), "{}", List.of());

        ExecutionResult outcome = harness.outcome();
        assertEquals(ExecutionStatus.FAILED, outcome.status());
        assertEquals(ExecutionError.LIMIT, outcome.error().code());
        assertEquals(1, services.commits("park").size());
    }

    private static final String FETCH_WITH_RETRIES = """
            {`name`: `fetch`,
             `nodes`: [{`id`: `get`, `type`: `http`, `retry`: {`maxAttempts`: 3, `backoffMs`: 100},
                        `config`: {`method`: `GET`, `url`: `'https://example.com/x'`}}]}""";

    @Test
    void anHttpFailureThatNoAttemptWouldChangeIsNotRetried() {
        int[] calls = {0};
        services.http = spec -> {
            calls[0]++;
            return NodeOutcome.finalFailure("http", "GET https://example.com/x answered 404");
        };
        harness.start(FETCH_WITH_RETRIES, "{}", List.of());

        services.advance(Duration.ofSeconds(5));

        assertEquals(1, calls[0], "a 404 is not asked again");
        assertEquals(ExecutionStatus.FAILED, harness.outcome().status());
        assertEquals(1, services.commits("end").get(0).batch().steps().get(0).attempts());
    }

    @Test
    void aRetryAfterLongerThanTheBackoffDelaysTheNextAttemptUpToItsCap() {
        int[] calls = {0};
        services.http = spec -> {
            calls[0]++;
            return NodeOutcome.failure("http", "GET https://example.com/x answered 429").retryAfter(
                    calls[0] == 1 ? 2_000 : 3_600_000);
        };
        harness.start(FETCH_WITH_RETRIES, "{}", List.of());

        services.advance(Duration.ofMillis(1_999));
        assertEquals(1, calls[0], "the backoff alone (100 ms) would have tried again by now");
        services.advance(Duration.ofMillis(1));
        assertEquals(2, calls[0]);
        services.advance(Duration.ofMillis(59_999));
        assertEquals(2, calls[0], "an hour's Retry-After is capped at 60 s");
        services.advance(Duration.ofMillis(1));
        assertEquals(3, calls[0]);
        assertEquals(ExecutionStatus.FAILED, harness.outcome().status());
    }

    private static final String WAIT_FOR_APPROVAL = """
            {`name`: `approval`,
             `nodes`: [{`id`: `ask`, `type`: `wait`, `config`: {`signal`: `approve`, `timeoutMs`: %d}}]}""";

    private static final String PARENT = """
            {`name`: `parent`,
             `nodes`: [{`id`: `prepare`, `type`: `transform`, `config`: {`expression`: `inputs.x + 1`}},
                       {`id`: `call`, `type`: `subworkflow`,
                        `config`: {`workflow`: `chain`, `inputs`: `{'x': nodes.prepare}`}}],
             `edges`: [{`from`: `prepare`, `to`: `call`}]}""";

    private static ExecutionRecord ended(ExecutionRecord child, ExecutionStatus status,
            JsonNode outputs) {
        return new ExecutionRecord(child.id(), child.tenantId(), child.workflow(), child.workflowVersionId(),
                child.version(), status, ExecutionMode.ASYNC, child.channel(), child.sessionId(), child.inputs(),
                outputs, null, child.deadlineAt(), child.createdAt(), child.createdAt(), child.createdAt());
    }
}
