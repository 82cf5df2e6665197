package io.nexus.workflow.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.nexus.events.NexusEvent;
import io.nexus.workflow.domain.ExecutionError;
import io.nexus.workflow.domain.ExecutionRecord;
import io.nexus.workflow.domain.ExecutionStatus;
import io.nexus.workflow.domain.StepBatch;
import io.nexus.workflow.engine.http.HttpCallSpec;
import io.nexus.workflow.repository.ExecutionRepository.Lineage;
import io.smallrye.mutiny.Uni;

/**
 * The replica as a run sees it, in memory and deterministic: tasks run on the calling thread, the clock and the timers
 * move only when a test calls {@link #advance}, and every commit is recorded and answered as the test decides.
 */
final class FakeRunServices implements RunServices, RunListener {

    /** A commit the run asked for. */
    record Commit(String kind, StepBatch batch, NexusEvent<JsonNode> integrationEvent, ExecutionStatus status,
            JsonNode outputs, ExecutionError error, Instant wakeAt) {
    }

    private record Timer(Instant due, Runnable action) {
    }

    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    Duration inMemoryWait = Duration.ofSeconds(1);
    final List<Commit> commits = new ArrayList<>();
    /** Answers of the next commits of each kind (boundary, end, park, child): true, false (not live) or a failure. */
    final Map<String, Deque<Object>> answers = new HashMap<>();
    /** Stored signals by name, taken oldest first. */
    final Map<String, Deque<JsonNode>> signals = new HashMap<>();
    final Map<UUID, ExecutionRecord> childExecutions = new HashMap<>();
    ChildPlan childPlan;
    Function<HttpCallSpec, NodeOutcome> http = spec -> NodeOutcome.failure("http", "no receiver");
    /** session-service: answers a read (patch null) or a merge (the patch); {@link FakeSession} by default. */
    Function<ObjectNode, NodeOutcome> session = new FakeSession();
    /** The calls to session-service in order: {@code read}, or {@code merge <patch>}. */
    final List<String> sessionCalls = new ArrayList<>();
    final List<UUID> childrenStarted = new ArrayList<>();
    ExecutionResult released;
    boolean releasedWithoutResult;
    Instant parkedUntil;
    boolean parked;
    private final TreeMap<Long, Timer> timers = new TreeMap<>();
    private long nextTimer;

    @Override
    public Executor evaluationPool() {
        return Runnable::run;
    }

    @Override
    public Instant now() {
        return now;
    }

    @Override
    public long setTimer(long delayMs, Runnable action) {
        long id = nextTimer++;
        timers.put(id, new Timer(now.plusMillis(delayMs), action));
        return id;
    }

    @Override
    public void cancelTimer(long timerId) {
        timers.remove(timerId);
    }

    /** Moves the clock by {@code duration}, firing the timers that fall due on the way, in due order. */
    void advance(Duration duration) {
        Instant until = now.plus(duration);
        while (true) {
            Map.Entry<Long, Timer> next = timers.entrySet().stream()
                    .filter(timer -> !timer.getValue().due().isAfter(until))
                    .min((a, b) -> a.getValue().due().compareTo(b.getValue().due())).orElse(null);
            if (next == null) {
                break;
            }
            timers.remove(next.getKey());
            if (next.getValue().due().isAfter(now)) {
                now = next.getValue().due();
            }
            next.getValue().action().run();
        }
        now = until;
    }

    int pendingTimers() {
        return timers.size();
    }

    @Override
    public Duration inMemoryWait() {
        return inMemoryWait;
    }

    void answer(String kind, Object... outcomes) {
        answers.computeIfAbsent(kind, k -> new ArrayDeque<>()).addAll(List.of(outcomes));
    }

    /** The next answer for a commit of {@code kind}: live (true) unless the test queued something else. */
    private Uni<Boolean> answerFor(String kind) {
        Deque<Object> queued = answers.get(kind);
        Object answer = queued == null || queued.isEmpty() ? Boolean.TRUE : queued.poll();
        return answer instanceof Throwable failure ? Uni.createFrom().failure(failure)
                : Uni.createFrom().item((Boolean) answer);
    }

    List<Commit> commits(String kind) {
        return commits.stream().filter(commit -> commit.kind().equals(kind)).toList();
    }

    @Override
    public Uni<Boolean> commitBoundary(ExecutionRecord execution, StepBatch batch,
            NexusEvent<JsonNode> integrationEvent) {
        commits.add(new Commit("boundary", batch, integrationEvent, null, null, null, null));
        return answerFor("boundary");
    }

    @Override
    public Uni<Optional<JsonNode>> takeSignal(ExecutionRecord execution, String node, String signal,
            Function<JsonNode, StepBatch> batchWith) {
        Deque<JsonNode> stored = signals.get(signal);
        if (stored == null || stored.isEmpty()) {
            return Uni.createFrom().item(Optional.empty());
        }
        JsonNode payload = stored.poll();
        commits.add(new Commit("signal", batchWith.apply(payload), null, null, null, null, null));
        return Uni.createFrom().item(Optional.of(payload));
    }

    @Override
    public Uni<Boolean> commitPark(ExecutionRecord execution, Instant wakeAt, Instant startedAt, StepBatch batch) {
        commits.add(new Commit("park", batch, null, null, null, null, wakeAt));
        return answerFor("park");
    }

    @Override
    public Uni<ChildPlan> planChild(ExecutionRecord parent, String workflow, Integer version) {
        return Uni.createFrom().item(childPlan);
    }

    @Override
    public Uni<Boolean> startChild(ExecutionRecord parent, String node, ExecutionRecord child, Lineage lineage,
            StepBatch batch) {
        commits.add(new Commit("child", batch, null, null, null, null, null));
        childExecutions.put(child.id(), child);
        return answerFor("child");
    }

    @Override
    public Uni<ExecutionRecord> child(UUID childId) {
        return Uni.createFrom().item(childExecutions.get(childId));
    }

    @Override
    public Uni<Boolean> commitEnd(ExecutionRecord execution, ExecutionStatus status, JsonNode outputs,
            ExecutionError error, Instant startedAt, Instant finishedAt, StepBatch batch) {
        commits.add(new Commit("end", batch, null, status, outputs, error, null));
        return answerFor("end");
    }

    @Override
    public Uni<NodeOutcome> http(HttpCallSpec spec) {
        return Uni.createFrom().item(http.apply(spec));
    }

    @Override
    public Uni<NodeOutcome> sessionData(ExecutionRecord execution) {
        sessionCalls.add("read");
        return Uni.createFrom().item(session.apply(null));
    }

    @Override
    public Uni<NodeOutcome> mergeSession(ExecutionRecord execution, ObjectNode patch) {
        sessionCalls.add("merge " + patch);
        return Uni.createFrom().item(session.apply(patch));
    }

    @Override
    public void released(UUID executionId, ExecutionResult result) {
        released = result;
        releasedWithoutResult = result == null;
    }

    @Override
    public void parked(UUID executionId, Instant wakeAt) {
        parked = true;
        parkedUntil = wakeAt;
    }

    @Override
    public void childStarted(UUID parentId, UUID childId) {
        childrenStarted.add(childId);
    }
}
