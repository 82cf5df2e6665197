package io.nexus.common.eventing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.nexus.common.consumer.IdempotentConsumer;
import io.nexus.events.workflow.WorkflowUpdated;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * A consumer shaped like the services' ones: {@code Uni<Void>}, one transaction per message through
 * {@link IdempotentConsumer}. Its effect writes a row and can be told to fail after writing it, as a crash in the
 * middle of a message would.
 */
@ApplicationScoped
public class LedgerProjection {

    static final String NAME = "ledger-projection";
    private static final Map<String, AtomicInteger> FAILURES_TO_INJECT = new ConcurrentHashMap<>();

    private final IdempotentConsumer consumer;

    public LedgerProjection(IdempotentConsumer consumer) {
        this.consumer = consumer;
    }

    static void failAfterWriting(String eventId, int times) {
        FAILURES_TO_INJECT.put(eventId, new AtomicInteger(times));
    }

    @Incoming("ledger-events")
    public Uni<Void> consume(byte[] message) {
        return consumer.consume(NAME, message, WorkflowUpdated.class, event -> Panache.getSession()
                .chain(session -> session.createNativeQuery("INSERT INTO applied_event "
                        + "(consumer, event_id, aggregate_id, version) VALUES (?1, ?2, ?3, ?4)")
                        .setParameter(1, NAME)
                        .setParameter(2, event.id())
                        .setParameter(3, event.subject())
                        .setParameter(4, event.data().version())
                        .executeUpdate())
                .invoke(() -> {
                    AtomicInteger remaining = FAILURES_TO_INJECT.get(event.id());
                    if (remaining != null && remaining.getAndDecrement() > 0) {
                        throw new IllegalStateException("injected failure after the effect was written");
                    }
                })
                .replaceWithVoid()).replaceWithVoid();
    }
}
