package io.nexus.common.consumer;

import java.time.Duration;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.nexus.common.metrics.ContractMetrics;
import io.nexus.common.metrics.ErrorType;
import io.nexus.events.EventCodec;
import io.nexus.events.EventCodecException;
import io.nexus.events.NexusEvent;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Applies a consumed event at most once per consumer: the event id goes into {@code processed_event} in the same
 * transaction as the effect, so a redelivered event (at-least-once delivery, a relay that republished, a consumer that
 * crashed before committing its offset) finds it there and is skipped, and an effect that fails rolls the record back
 * with it. Failed attempts are retried with exponential backoff on the message's own Vert.x context; after the last
 * one the failure propagates, the message is nacked (the channel's failure strategy parks it on its dead-letter
 * topic) and it counts in {@code nexus_errors_total{type="consumer"}}. A message that is not a readable event is
 * parked at once.
 *
 * <p>Use it from an {@code @Incoming} method returning {@code Uni<Void>}, one call per message, on a channel with
 * {@code value.deserializer=ByteArrayDeserializer} and {@code cloud-events=false} (the connector would otherwise turn
 * structured CloudEvents into JSON objects before they reach the codec).
 *
 * <p>Effects that are idempotent by themselves can skip the record and its transaction
 * ({@link #consumeAnyIdempotentEffect}): an event that changes nothing then writes nothing.
 */
@ApplicationScoped
@IfBuildProperty(name = "nexus.database.enabled", stringValue = "true")
public class IdempotentConsumer {

    private static final Logger LOG = Logger.getLogger(IdempotentConsumer.class);

    private static final String RECORD = "INSERT INTO processed_event (consumer, event_id) VALUES (?1, ?2) "
            + "ON CONFLICT DO NOTHING";
    private static final String RECORD_SQL_CLIENT = "INSERT INTO processed_event (consumer, event_id) VALUES ($1, $2) "
            + "ON CONFLICT DO NOTHING";
    private static final String PRUNE = "DELETE FROM processed_event "
            + "WHERE processed_at < now() - ($1::bigint * interval '1 second')";

    private final EventCodec codec = new EventCodec();
    private final ContractMetrics metrics;
    private final ConsumerConfig config;
    private final Vertx vertx;
    private final Pool pool;
    private long pruneTimer = -1;

    public IdempotentConsumer(ContractMetrics metrics, ConsumerConfig config, Vertx vertx, Pool pool) {
        this.metrics = metrics;
        this.config = config;
        this.vertx = vertx;
        this.pool = pool;
    }

    /**
     * Decodes {@code message} as an event with a {@code type} payload and applies {@code effect} once for
     * {@code consumer}. The effect runs inside the transaction (use Panache repositories or
     * {@code Panache.getSession()}); completes with true when applied now, false when it was a duplicate.
     */
    public <T> Uni<Boolean> consume(String consumer, byte[] message, Class<T> type,
            Function<NexusEvent<T>, Uni<Void>> effect) {
        NexusEvent<T> event;
        try {
            event = codec.decode(message, type);
        } catch (EventCodecException e) {
            return unreadable(consumer, e);
        }
        return attempt(consumer, event, effect, 1);
    }

    /** Like {@link #consume(String, byte[], Class, Function)} for a topic carrying several event types. */
    public Uni<Boolean> consumeAny(String consumer, byte[] message, Function<NexusEvent<?>, Uni<Void>> effect) {
        NexusEvent<?> event;
        try {
            event = codec.decode(message);
        } catch (EventCodecException e) {
            return unreadable(consumer, e);
        }
        return attempt(consumer, event, effect, 1);
    }

    /**
     * Like {@link #consumeAny(String, byte[], Function)} for services that write with the reactive SQL client: the
     * effect gets the connection of the transaction that also records the event id.
     */
    public Uni<Boolean> consumeAnyWithConnection(String consumer, byte[] message,
            BiFunction<SqlConnection, NexusEvent<?>, Uni<Void>> effect) {
        NexusEvent<?> event;
        try {
            event = codec.decode(message);
        } catch (EventCodecException e) {
            return unreadable(consumer, e);
        }
        return retrying(consumer, event, () -> pool.withTransaction(tx -> tx.preparedQuery(RECORD_SQL_CLIENT)
                .execute(Tuple.of(consumer, event.id()))
                .chain(recorded -> recorded.rowCount() == 1
                        ? effect.apply(tx, event).replaceWith(Boolean.TRUE)
                        : Uni.createFrom().item(Boolean.FALSE))), 1);
    }

    /**
     * For effects that are idempotent by themselves (an insert that does nothing on conflict, an update whose WHERE
     * clause no longer matches once applied): decodes {@code message} and applies {@code effect} with the same retries
     * and parking as the other methods, but records nothing in {@code processed_event} and begins no transaction. The
     * effect gets the pool: each statement it runs is its own implicit transaction, and one that changes no row gets no
     * transaction id and writes no WAL, so an event with nothing to apply commits nothing to disk (PostgreSQL still
     * counts the statement in {@code xact_commit}). The effect must stay correct when applied again in full or after a
     * partial attempt: use one statement per event.
     */
    public Uni<Void> consumeAnyIdempotentEffect(String consumer, byte[] message,
            BiFunction<SqlClient, NexusEvent<?>, Uni<Void>> effect) {
        NexusEvent<?> event;
        try {
            event = codec.decode(message);
        } catch (EventCodecException e) {
            return unreadable(consumer, e).replaceWithVoid();
        }
        return retrying(consumer, event,
                () -> Uni.createFrom().deferred(() -> effect.apply(pool, event)).replaceWith(Boolean.TRUE), 1)
                .replaceWithVoid();
    }

    private Uni<Boolean> unreadable(String consumer, EventCodecException e) {
        metrics.countError(ErrorType.CONSUMER);
        LOG.errorf("%s cannot read a message, parking it: %s", consumer, e.getMessage());
        return Uni.createFrom().failure(e);
    }

    private <E extends NexusEvent<?>> Uni<Boolean> attempt(String consumer, E event, Function<E, Uni<Void>> effect,
            int attempt) {
        return retrying(consumer, event, () -> Panache.withTransaction(() -> Panache.getSession()
                .chain(session -> session.createNativeQuery(RECORD)
                        .setParameter(1, consumer)
                        .setParameter(2, event.id())
                        .executeUpdate())
                .chain(recorded -> recorded == 1
                        ? effect.apply(event).replaceWith(Boolean.TRUE)
                        : Uni.createFrom().item(Boolean.FALSE))), attempt);
    }

    /** One attempt of {@code transaction}, retried with backoff, then parked. */
    private Uni<Boolean> retrying(String consumer, NexusEvent<?> event, Supplier<Uni<Boolean>> transaction,
            int attempt) {
        return transaction.get()
                .onFailure().recoverWithUni(failure -> {
                    if (attempt >= config.maxAttempts()) {
                        metrics.countError(ErrorType.CONSUMER);
                        LOG.errorf(failure, "%s gave up on event %s (%s) after %d attempts; parking it", consumer,
                                event.id(), event.type(), attempt);
                        return Uni.createFrom().failure(failure);
                    }
                    Duration wait = backoff(attempt);
                    LOG.warnf("%s failed on event %s (attempt %d of %d), retrying in %d ms: %s", consumer, event.id(),
                            attempt, config.maxAttempts(), wait.toMillis(), failure.getMessage());
                    // A Vert.x timer resumes on this message's context; Mutiny's own delay would hop threads, which
                    // Hibernate Reactive does not allow.
                    return Uni.createFrom().<Long> emitter(timer -> vertx.setTimer(wait.toMillis(), timer::complete))
                            .chain(ignored -> retrying(consumer, event, transaction, attempt + 1));
                });
    }

    private Duration backoff(int attempt) {
        long millis = config.initialBackoff().toMillis() << Math.min(attempt - 1, 20);
        return Duration.ofMillis(Math.min(millis, config.maxBackoff().toMillis()));
    }

    void startPruning(@Observes StartupEvent event) {
        pruneTimer = vertx.setPeriodic(config.pruneInterval().toMillis(), id -> pool.preparedQuery(PRUNE)
                .execute(Tuple.of(config.dedupRetention().toSeconds()))
                .subscribe().with(rows -> LOG.debugf("Forgot %d processed event ids", rows.rowCount()),
                        failure -> LOG.warnf("Pruning processed events failed: %s", failure.getMessage())));
    }

    void stopPruning(@Observes ShutdownEvent event) {
        if (pruneTimer >= 0) {
            vertx.cancelTimer(pruneTimer);
        }
    }
}
