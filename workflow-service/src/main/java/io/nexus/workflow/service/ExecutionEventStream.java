package io.nexus.workflow.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.nexus.workflow.config.WorkflowConfig;
import io.nexus.workflow.domain.StepRecord;
import io.nexus.workflow.engine.ExecutionResult;
import io.nexus.workflow.repository.ExecutionRepository;
import io.nexus.workflow.repository.ExecutionRepository.Progress;
import io.nexus.workflow.repository.ExecutionRepository.SentStep;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The progress of one execution as a stream (docs/api.md §4, {@code GET /executions/{id}/events}): every step recorded
 * so far, then each step that is new or whose status or attempts changed, read from PostgreSQL every
 * {@code nexus.workflow.events-poll-interval}, so the stream works whichever replica runs the execution. When the
 * execution has ended it sends {@code end} (shaped like a sync start's answer) and completes.
 * <p>
 * Pure steps are committed with the end (or the next side-effecting step), so a pure workflow's steps all arrive just
 * before {@code end}. A stream also completes, without {@code end}, a minute after the execution's deadline or after
 * {@code nexus.workflow.events-max-duration}; a client that reconnects is sent everything again. The next poll waits
 * for the client to take the previous one's events, and cancelling the subscription (the client went away) stops
 * the polling.
 */
@ApplicationScoped
public class ExecutionEventStream {

    private static final Logger LOG = Logger.getLogger(ExecutionEventStream.class);

    /** How long after its deadline an execution may take to be recorded as timed out before the stream gives up. */
    static final Duration DEADLINE_MARGIN = Duration.ofMinutes(1);

    private final ExecutionRepository repository;
    private final WorkflowConfig config;
    private final AtomicInteger open = new AtomicInteger();

    public ExecutionEventStream(ExecutionRepository repository, WorkflowConfig config) {
        this.repository = repository;
        this.config = config;
    }

    /** Fails with 404 unless the tenant owns the execution: checked before a stream's headers go out. */
    public Uni<Void> requireExecution(UUID tenant, UUID id) {
        return repository.exists(tenant, id).invoke(exists -> {
            if (!exists) {
                throw ExecutionService.noExecution(id);
            }
        }).replaceWithVoid();
    }

    /** The execution's events; each subscription is a stream of its own. */
    public Multi<ExecutionEvent> follow(UUID tenant, UUID id) {
        return Multi.createFrom().deferred(() -> {
            Follower follower = new Follower(tenant, id, Instant.now());
            return Uni.createFrom().deferred(follower::poll)
                    .repeat().withDelay(config.eventsPollInterval())
                    .whilst(batch -> !batch.last())
                    .onItem().transformToIterable(Batch::events)
                    .onFailure().invoke(failure -> LOG.warnf(failure, "Event stream of execution %s failed", id))
                    .onFailure().recoverWithCompletion()
                    .onSubscription().invoke(open::incrementAndGet)
                    .onTermination().invoke(open::decrementAndGet);
        });
    }

    /** Event streams this replica serves right now. */
    public int openStreams() {
        return open.get();
    }

    /** The events of one poll; {@code last} ends the stream after them. */
    private record Batch(List<ExecutionEvent> events, boolean last) {
    }

    /** One stream's state: what it has sent, its numbering, when it last spoke and when it must close. */
    private final class Follower {

        private final UUID tenant;
        private final UUID id;
        private final Instant openedAt;
        private final Map<String, SentStep> sent = new LinkedHashMap<>();
        private long sequence;
        private Instant lastSent;
        private Instant closeAt;

        Follower(UUID tenant, UUID id, Instant openedAt) {
            this.tenant = tenant;
            this.id = id;
            this.openedAt = openedAt;
            this.lastSent = openedAt;
        }

        Uni<Batch> poll() {
            return repository.progress(tenant, id, List.copyOf(sent.values()))
                    .onFailure().retry().withBackOff(Duration.ofMillis(250), Duration.ofSeconds(2)).atMost(3)
                    .map(this::batch);
        }

        private Batch batch(Progress progress) {
            Instant now = Instant.now();
            if (progress == null) {
                return new Batch(List.of(), true);
            }
            if (closeAt == null) {
                Instant max = openedAt.plus(config.eventsMaxDuration());
                Instant afterDeadline = progress.deadlineAt() == null ? max
                        : progress.deadlineAt().plus(DEADLINE_MARGIN);
                closeAt = afterDeadline.isBefore(max) ? afterDeadline : max;
            }
            List<ExecutionEvent> events = new ArrayList<>();
            for (StepRecord step : progress.changedSteps()) {
                sent.put(step.node(), new SentStep(step.node(), step.status(), step.attempts()));
                events.add(new ExecutionEvent(ExecutionEvent.STEP, ++sequence, ExecutionViews.step(step)));
            }
            boolean ended = progress.status().terminal();
            if (ended) {
                events.add(new ExecutionEvent(ExecutionEvent.END, ++sequence, ExecutionViews.result(result(progress))));
            } else if (events.isEmpty() && !now.isBefore(lastSent.plus(config.eventsKeepAlive()))) {
                events.add(ExecutionEvent.KEEP_ALIVE);
            }
            if (!events.isEmpty()) {
                lastSent = now;
            }
            return new Batch(events, ended || !now.isBefore(closeAt));
        }

        private ExecutionResult result(Progress progress) {
            Instant began = progress.startedAt() != null ? progress.startedAt() : progress.createdAt();
            Instant finished = progress.finishedAt() != null ? progress.finishedAt() : began;
            return new ExecutionResult(id, progress.status(), progress.outputs(), progress.error(),
                    Math.max(0, Duration.between(began, finished).toMillis()));
        }
    }
}
