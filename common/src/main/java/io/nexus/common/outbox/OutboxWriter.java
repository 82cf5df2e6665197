package io.nexus.common.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.nexus.common.ids.Ids;
import io.nexus.events.EventCodec;
import io.nexus.events.EventPayload;
import io.nexus.events.NexusEvent;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Handler;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Records an event in the outbox inside the caller's Hibernate Reactive transaction, so that the event exists if and
 * only if the state change it describes commits. Call it from a {@code @WithTransaction} service method, after the
 * change; outside a transaction it fails instead of writing an event nobody can take back. Services that write with
 * the reactive SQL client instead of Hibernate Reactive pass the connection of their transaction.
 *
 * <p>It tells this replica's {@link OutboxRelay} about the events, which may be idle and polling only once in
 * {@code nexus.outbox.idle-poll-interval}: on the reactive SQL client's connection it {@link OutboxRelay#nudge()
 * nudges} the relay once the transaction has committed (never before: a round then would miss the rows), so the
 * events leave at once; where it cannot see the commit (Hibernate Reactive, a statement of the caller's own built with
 * {@link #rowFor}) it {@link OutboxRelay#expectCommit() announces} them, and the relay polls at
 * {@code nexus.outbox.poll-interval} until it has them.
 */
@ApplicationScoped
@IfBuildProperty(name = "nexus.database.enabled", stringValue = "true")
public class OutboxWriter {

    private static final String INSERT = "INSERT INTO outbox_event "
            + "(event_id, event_type, topic, aggregate_id, tenant_id, payload) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    private static final String INSERT_SQL_CLIENT = "INSERT INTO outbox_event "
            + "(event_id, event_type, topic, aggregate_id, tenant_id, payload) VALUES ($1, $2, $3, $4, $5, $6)";

    private final EventCodec codec = new EventCodec();
    private final String service;
    private final String topicPrefix;
    private final Clock clock;
    private final OutboxRelay relay;
    /** One handler for every commit, so that registering it allocates nothing per transaction. */
    private final Handler<Void> nudgeRelay;

    public OutboxWriter(@ConfigProperty(name = "quarkus.application.name") String service, OutboxConfig config,
            OutboxRelay relay) {
        this.service = service;
        this.topicPrefix = config.topicPrefix().orElse("");
        this.clock = Clock.systemUTC();
        this.relay = relay;
        this.nudgeRelay = committed -> relay.nudge();
    }

    /**
     * For a caller that committed {@link #rowFor} rows in a statement of its own: their commit succeeded, so the
     * relay publishes them at once rather than at its next poll. Optional (the rows were announced already) and cheap.
     */
    public void committed() {
        relay.nudge();
    }

    /** Appends the platform event describing {@code payload}; returns it (its id is the Kafka {@code ce_id}). */
    public Uni<NexusEvent<EventPayload>> append(EventPayload payload) {
        NexusEvent<EventPayload> event = NexusEvent.of(Ids.newId(), service, clock.instant(), payload);
        return insert(event, event.platformTopic()).replaceWith(event);
    }

    /** Appends an event for another topic (the integration topics); its subject is the Kafka key. */
    public Uni<Void> append(NexusEvent<?> event, String topic) {
        return insert(event, topic);
    }

    /**
     * Appends the events describing {@code payloads} on {@code connection}, which must be inside the transaction of
     * the change they describe; one batched statement however many events there are.
     */
    public Uni<Void> append(SqlConnection connection, List<? extends EventPayload> payloads) {
        if (connection.transaction() == null) {
            return Uni.createFrom().failure(new IllegalStateException(
                    "outbox events must be written in the transaction of the change they describe"));
        }
        if (payloads.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = new ArrayList<>(payloads.size());
        for (EventPayload payload : payloads) {
            NexusEvent<EventPayload> event = NexusEvent.of(Ids.newId(), service, clock.instant(), payload);
            rows.add(row(event, event.platformTopic()));
        }
        nudgeOnCommit(connection.transaction());
        return connection.preparedQuery(INSERT_SQL_CLIENT).executeBatch(rows).replaceWithVoid();
    }

    /** Appends an event for another topic (the integration topics) on {@code connection}, inside its transaction. */
    public Uni<Void> append(SqlConnection connection, NexusEvent<?> event, String topic) {
        if (connection.transaction() == null) {
            return Uni.createFrom().failure(new IllegalStateException(
                    "outbox events must be written in the transaction of the change they describe"));
        }
        nudgeOnCommit(connection.transaction());
        return connection.preparedQuery(INSERT_SQL_CLIENT).execute(row(event, topic)).replaceWithVoid();
    }

    /**
     * The outbox row describing {@code payload}, for a service that inserts it within a statement of its own (a
     * data-modifying CTE that commits the change and its event in one round trip).
     */
    public OutboxRow rowFor(EventPayload payload) {
        relay.expectCommit();
        NexusEvent<EventPayload> event = NexusEvent.of(Ids.newId(), service, clock.instant(), payload);
        String key = event.subject() == null ? event.id() : event.subject();
        return new OutboxRow(UUID.fromString(event.id()), event.type(), topicPrefix + event.platformTopic(), key,
                event.tenantId(), new String(codec.encode(event), StandardCharsets.UTF_8));
    }

    /** The columns of one {@code outbox_event} row. */
    public record OutboxRow(UUID eventId, String type, String topic, String aggregateId, String tenantId,
            String payload) {
    }

    /**
     * The relay is nudged when the transaction commits, and not when it rolls back (Vert.x completes the transaction's
     * future only then). A nudge for nothing would cost one poll, no more.
     */
    private void nudgeOnCommit(Transaction transaction) {
        transaction.getDelegate().completion().onSuccess(nudgeRelay);
    }

    private Tuple row(NexusEvent<?> event, String topic) {
        String payload = new String(codec.encode(event), StandardCharsets.UTF_8);
        String key = event.subject() == null ? event.id() : event.subject();
        return Tuple.of(UUID.fromString(event.id()), event.type(), topicPrefix + topic, key, event.tenantId(), payload);
    }

    private Uni<Void> insert(NexusEvent<?> event, String topic) {
        String payload = new String(codec.encode(event), StandardCharsets.UTF_8);
        String key = event.subject() == null ? event.id() : event.subject();
        return Panache.currentTransaction()
                .onItem().ifNull().failWith(() -> new IllegalStateException(
                        "outbox events must be written in the transaction of the change they describe"))
                .chain(transaction -> Panache.getSession())
                .chain(session -> session.createNativeQuery(INSERT)
                        .setParameter(1, UUID.fromString(event.id()))
                        .setParameter(2, event.type())
                        .setParameter(3, topicPrefix + topic)
                        .setParameter(4, key)
                        .setParameter(5, event.tenantId())
                        .setParameter(6, payload)
                        .executeUpdate())
                // Hibernate Reactive tells nobody when the transaction commits: the relay polls for it instead.
                .invoke(relay::expectCommit)
                .replaceWithVoid();
    }
}
