package io.nexus.workflow.engine;

import static io.nexus.workflow.engine.RunHarness.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.nexus.workflow.client.SessionServiceException;
import io.nexus.workflow.domain.ExecutionError;
import io.nexus.workflow.domain.ExecutionStatus;
import io.nexus.workflow.domain.StepRecord;
import io.nexus.workflow.domain.StepStatus;

/**
 * The run's session against a fake session-service (docs/api.md §5): what a session node outputs and merges, each of
 * its error codes with retry and onError, and when the {@code session} variable is read and what it holds.
 */
class ExecutionRunSessionTest {

    private static final String UNANSWERED = "session-service did not answer within 2000 ms";

    private static final String REMEMBER = """
            {`name`: `remember`,
             `nodes`: [{`id`: `remember`, `type`: `session`,
                        `config`: {`merge`: `{'lastOrder': inputs.order, 'visits': null, 'prefs': {'lang': 'de'}}`}},
                       {`id`: `after`, `type`: `transform`, `config`: {`expression`: `nodes.remember`}}],
             `edges`: [{`from`: `remember`, `to`: `after`}]}""";

    private static final String GREET = """
            {`name`: `greet`,
             `nodes`: [{`id`: `first`, `type`: `transform`, `config`: {`expression`: `inputs.x`}},
                       {`id`: `greet`, `type`: `transform`, `config`: {`expression`: `'hi ' + session.user`}%s},
                       {`id`: `count`, `type`: `transform`, `config`: {`expression`: `session.visits + nodes.first`}}],
             `edges`: [{`from`: `first`, `to`: `greet`}, {`from`: `first`, `to`: `count`}]}""";

    private final RunHarness harness = new RunHarness();
    private final FakeRunServices services = harness.services;
    private final FakeSession stored = new FakeSession().with("user", "ann").with("visits", 2);

    @BeforeEach
    void theExecutionHasASession() {
        harness.sessionId = "sess-1";
        services.session = stored;
    }

    // ------------------------------------------------------------------------------------------- session nodes

    @Test
    void aSessionNodeWithoutMergeOutputsTheSessionsData() {
        harness.start("{`name`: `look`, `nodes`: [{`id`: `look`, `type`: `session`}]}", "{}", List.of());

        assertEquals(json("{`look`: {`user`: `ann`, `visits`: 2}}"), harness.outcome().outputs());
        assertEquals(List.of("read"), services.sessionCalls);
        assertEquals(List.of(), harness.steps("boundary"), "a read changes nothing: written with the end");
        assertEquals(List.of("look:completed"), harness.steps("end"));
    }

    @Test
    void aSessionNodeMergesItsEvaluatedMapAndCommitsAtOnce() {
        harness.start(REMEMBER, "{`order`: `o-7`}", List.of());

        assertEquals(List.of("merge {\"lastOrder\":\"o-7\",\"visits\":null,\"prefs\":{\"lang\":\"de\"}}"),
                services.sessionCalls, "a null member is sent as is: it deletes the key");
        assertEquals(json("{`after`: {`user`: `ann`, `lastOrder`: `o-7`, `prefs`: {`lang`: `de`}}}"),
                harness.outcome().outputs());
        assertEquals(List.of("remember:completed"), harness.steps("boundary"), "a merge commits at once");
        assertEquals(json("{`user`: `ann`, `lastOrder`: `o-7`, `prefs`: {`lang`: `de`}}"),
                services.commits("boundary").get(0).batch().steps().get(0).output());
        assertEquals(List.of("after:completed"), harness.steps("end"));
    }

    @Test
    void anExecutionWithoutASessionFailsTheNodeAsNotFound() {
        harness.sessionId = null;
        harness.start(REMEMBER, "{`order`: `o-7`}", List.of());

        assertEquals(new ExecutionError(ExecutionError.NOT_FOUND,
                "the execution was started without a session (X-Nexus-Session)", "remember"),
                harness.outcome().error());
        assertEquals(List.of(), services.sessionCalls);
        assertEquals(List.of("remember:failed", "after:cancelled"), harness.steps("end"));
    }

    @Test
    void aSessionThatIsGoneFailsTheNodeAsNotFound() {
        services.session = patch -> SessionCalls.failure(SessionServiceException.ofStatus(404), harness.execution);
        harness.start(REMEMBER, "{`order`: `o-7`}", List.of());

        assertEquals(new ExecutionError(ExecutionError.NOT_FOUND,
                "the session sess-1 has expired, was closed or does not exist", "remember"), harness.outcome().error());
    }

    @Test
    void aMergeOverTheSizeLimitFailsAsLimit() {
        services.session = patch -> SessionCalls.failure(SessionServiceException.ofStatus(413), harness.execution);
        harness.start(REMEMBER, "{`order`: `o-7`}", List.of());

        assertEquals(ExecutionError.LIMIT, harness.outcome().error().code());
        assertEquals("remember", harness.outcome().error().node());
    }

    @Test
    void anUnavailableSessionServiceFailsTheAttemptAndRetryApplies() {
        Deque<NodeOutcome> answers = new ArrayDeque<>(List.of(unavailable()));
        services.session = patch -> answers.isEmpty() ? stored.apply(patch) : answers.poll();
        harness.start(REMEMBER.replace("`type`: `session`,", "`type`: `session`, `retry`: {`maxAttempts`: 2, "
                + "`backoffMs`: 100},"), "{`order`: `o-7`}", List.of());
        assertFalse(harness.result.isDone(), "the retry waits for its backoff");

        services.advance(Duration.ofMillis(100));

        assertEquals(ExecutionStatus.COMPLETED, harness.outcome().status());
        assertEquals(2, services.sessionCalls.size());
        StepRecord remember = services.commits("boundary").get(0).batch().steps().get(0);
        assertEquals(2, remember.attempts());
    }

    @Test
    void anUnavailableSessionServiceFailsTheExecutionWithoutRetry() {
        services.session = patch -> unavailable();
        harness.start(REMEMBER, "{`order`: `o-7`}", List.of());

        assertEquals(new ExecutionError(ExecutionError.UNAVAILABLE, UNANSWERED, "remember"),
                harness.outcome().error());
    }

    @Test
    void onErrorContinueGivesTheErrorOnAndLeavesTheVariableAlone() {
        services.session = patch -> patch == null ? stored.apply(null) : unavailable();
        harness.start("""
                {`name`: `tolerant`,
                 `nodes`: [{`id`: `remember`, `type`: `session`, `config`: {`merge`: `{'a': 1}`},
                            `onError`: `continue`},
                           {`id`: `after`, `type`: `transform`,
                            `config`: {`expression`: `{'error': nodes.remember.error.code, 'a': has(session.a)}`}}],
                 `edges`: [{`from`: `remember`, `to`: `after`}]}""", "{}", List.of());

        assertEquals(json("{`after`: {`error`: `unavailable`, `a`: false}}"), harness.outcome().outputs());
        assertEquals(List.of("merge {\"a\":1}", "read"), services.sessionCalls,
                "a failed node does not set session: it is read from session-service");
    }

    @Test
    void aMergeThatIsNotAMapFailsAsExpression() {
        harness.start("""
                {`name`: `odd`, `nodes`: [{`id`: `remember`, `type`: `session`, `config`: {`merge`: `inputs.patch`}}]}
                """, "{`patch`: 5}", List.of());

        assertEquals(new ExecutionError(ExecutionError.EXPRESSION, "merge: expected a map, got number", "remember"),
                harness.outcome().error());
        assertEquals(List.of(), services.sessionCalls);
    }

    // -------------------------------------------------------------------------------------- the session variable

    @Test
    void theSessionIsReadOnceForEveryExpressionThatReadsIt() {
        harness.start(GREET.formatted(""), "{`x`: 10}", List.of());

        assertEquals(json("{`greet`: `hi ann`, `count`: 12}"), harness.outcome().outputs());
        assertEquals(List.of("read"), services.sessionCalls);
    }

    @Test
    void aWorkflowThatNeverReadsTheSessionDoesNotFetchIt() {
        harness.start("""
                {`name`: `plain`, `nodes`: [{`id`: `a`, `type`: `transform`, `config`: {`expression`: `inputs.x`}}]}
                """, "{`x`: 1}", List.of());

        assertEquals(json("{`a`: 1}"), harness.outcome().outputs());
        assertEquals(List.of(), services.sessionCalls);
    }

    @Test
    void theSessionIsNotFetchedWhenNoExpressionThatReadsItRuns() {
        harness.start("""
                {`name`: `branch`,
                 `nodes`: [{`id`: `check`, `type`: `condition`, `config`: {`expression`: `inputs.vip`}},
                           {`id`: `greet`, `type`: `transform`, `config`: {`expression`: `session.user`}},
                           {`id`: `plain`, `type`: `transform`, `config`: {`expression`: `'hello'`}}],
                 `edges`: [{`from`: `check`, `to`: `greet`, `when`: `nodes.check`},
                           {`from`: `check`, `to`: `plain`, `when`: `!nodes.check`}]}""", "{`vip`: false}",
                List.of());

        assertEquals(json("{`plain`: `hello`}"), harness.outcome().outputs());
        assertEquals(List.of(), services.sessionCalls);
    }

    @Test
    void edgeConditionsAndTheOutputReadTheSessionToo() {
        harness.start("""
                {`name`: `vip`,
                 `nodes`: [{`id`: `a`, `type`: `transform`, `config`: {`expression`: `1`}},
                           {`id`: `vip`, `type`: `transform`, `config`: {`expression`: `'vip'`}}],
                 `edges`: [{`from`: `a`, `to`: `vip`, `when`: `session.user == 'ann'`}],
                 `output`: `{'who': session.user, 'vip': has(nodes.vip)}`}""", "{}", List.of());

        assertEquals(json("{`who`: `ann`, `vip`: true}"), harness.outcome().outputs());
        assertEquals(List.of("read"), services.sessionCalls);
    }

    @Test
    void aSessionThatIsGoneIsNullInExpressions() {
        services.session = patch -> SessionCalls.failure(SessionServiceException.ofStatus(404), harness.execution);
        harness.start("""
                {`name`: `who`, `nodes`: [{`id`: `who`, `type`: `transform`,
                  `config`: {`expression`: `session == null ? 'anonymous' : session.user`}}]}""", "{}", List.of());

        assertEquals(json("{`who`: `anonymous`}"), harness.outcome().outputs());
    }

    @Test
    void anExecutionWithoutASessionSeesNullWithoutAsking() {
        harness.sessionId = null;
        harness.start("""
                {`name`: `who`, `nodes`: [{`id`: `who`, `type`: `transform`,
                  `config`: {`expression`: `session == null ? 'anonymous' : session.user`}}]}""", "{}", List.of());

        assertEquals(json("{`who`: `anonymous`}"), harness.outcome().outputs());
        assertEquals(List.of(), services.sessionCalls);
    }

    @Test
    void aSessionThatCannotBeReadFailsTheNodeThatNeedsIt() {
        services.session = patch -> unavailable();
        harness.start(GREET.formatted(""), "{`x`: 10}", List.of());

        ExecutionResult outcome = harness.outcome();
        assertEquals(ExecutionError.UNAVAILABLE, outcome.error().code());
        assertEquals("the session's data could not be read for expressions: " + UNANSWERED,
                outcome.error().message());
        assertEquals(List.of("read"), services.sessionCalls, "both readers waited for the same read");
    }

    @Test
    void aRetryOfTheNodeThatNeedsTheSessionReadsItAgain() {
        Deque<NodeOutcome> answers = new ArrayDeque<>(List.of(unavailable()));
        services.session = patch -> answers.isEmpty() ? stored.apply(patch) : answers.poll();
        harness.start(GREET.formatted(", `retry`: {`maxAttempts`: 2, `backoffMs`: 50}").replace(
                "{`from`: `first`, `to`: `count`}", "{`from`: `greet`, `to`: `count`}"), "{`x`: 10}", List.of());
        assertFalse(harness.result.isDone());

        services.advance(Duration.ofMillis(50));

        assertEquals(json("{`count`: 12}"), harness.outcome().outputs());
        assertEquals(List.of("read", "read"), services.sessionCalls);
    }

    @Test
    void afterASessionNodeTheVariableIsItsOutput() {
        harness.start("""
                {`name`: `bump`,
                 `nodes`: [{`id`: `before`, `type`: `transform`, `config`: {`expression`: `session.visits`}},
                           {`id`: `bump`, `type`: `session`, `config`: {`merge`: `{'visits': session.visits + 1}`}},
                           {`id`: `after`, `type`: `transform`, `config`: {`expression`: `session.visits`}}],
                 `edges`: [{`from`: `before`, `to`: `bump`}, {`from`: `bump`, `to`: `after`}],
                 `output`: `{'before': nodes.before, 'after': nodes.after}`}""", "{}", List.of());

        assertEquals(json("{`before`: 2, `after`: 3}"), harness.outcome().outputs());
        assertEquals(List.of("read", "merge {\"visits\":3}"), services.sessionCalls, "read once, before the merge");
    }

    @Test
    void aSessionNodeBeforeEveryReaderSparesTheRead() {
        harness.start(REMEMBER.replace("`nodes.remember`", "`session.lastOrder`"), "{`order`: `o-7`}", List.of());

        assertEquals(json("{`after`: `o-7`}"), harness.outcome().outputs());
        assertEquals(1, services.sessionCalls.size(), "the merge only: " + services.sessionCalls);
    }

    @Test
    void aRedrivenRunTakesTheVariableFromTheCommittedSessionNode() {
        StepRecord merged = new StepRecord("remember", 0, StepStatus.COMPLETED, 1, services.now, services.now,
                json("{`lastOrder`: `o-1`, `user`: `ann`}"), null);
        stored.with("lastOrder", "o-2");
        harness.start(REMEMBER.replace("`nodes.remember`", "`session.lastOrder`"), "{`order`: `o-1`}",
                List.of(merged));

        assertEquals(json("{`after`: `o-1`}"), harness.outcome().outputs());
        assertEquals(List.of(), services.sessionCalls, "the committed merge is not made again");
    }

    private static NodeOutcome unavailable() {
        return NodeOutcome.failure(ExecutionError.UNAVAILABLE, UNANSWERED);
    }
}
