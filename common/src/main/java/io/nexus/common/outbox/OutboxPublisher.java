package io.nexus.common.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.nexus.events.EventCodec;
import io.nexus.events.kafka.KafkaHeaders;
import io.smallrye.mutiny.Uni;

/**
 * Sends outbox rows to Kafka with an idempotent producer ({@code acks=all}), keyed by aggregate, with the
 * {@code ce_id}/{@code ce_type} headers. Sends happen on one thread of their own, because {@code send()} may block
 * while it waits for metadata and must never do so on an event loop.
 */
final class OutboxPublisher implements AutoCloseable {

    /** What a batch achieved: the positions Kafka acknowledged, and the first failure if there was one. */
    record Outcome(List<Long> acknowledged, Throwable failure) {
    }

    private final Producer<String, byte[]> producer;
    private final ExecutorService sender;

    OutboxPublisher(String bootstrapServers, String clientId, Duration sendTimeout) {
        int deliveryTimeoutMs = (int) sendTimeout.toMillis();
        this.producer = new KafkaProducer<>(Map.ofEntries(
                Map.entry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                Map.entry(ProducerConfig.CLIENT_ID_CONFIG, clientId),
                Map.entry(ProducerConfig.ACKS_CONFIG, "all"),
                Map.entry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                Map.entry(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5),
                Map.entry(ProducerConfig.LINGER_MS_CONFIG, 2),
                Map.entry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, deliveryTimeoutMs),
                Map.entry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1000, deliveryTimeoutMs / 2 - 10)),
                Map.entry(ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.max(1000, deliveryTimeoutMs / 2)),
                Map.entry(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000),
                Map.entry(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()),
                Map.entry(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName())));
        this.sender = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "nexus-outbox-sender");
            thread.setDaemon(true);
            return thread;
        });
    }

    static String clientId(String service) {
        return service + "-outbox-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * Publishes the batch and completes once every send is settled. Events of different aggregates travel together;
     * the events of one aggregate go one after the other, each only once the previous one is acknowledged, so that a
     * failure (a broker outage, an expired delivery) can never let a later event of an aggregate overtake an earlier
     * one: the failed event and everything after it in its aggregate stay unsent and are retried in position order.
     */
    Uni<Outcome> publish(List<PendingEvent> batch) {
        Map<String, List<PendingEvent>> byAggregate = new LinkedHashMap<>();
        for (PendingEvent event : batch) {
            byAggregate.computeIfAbsent(event.aggregateId(), key -> new ArrayList<>()).add(event);
        }
        List<Long> acknowledged = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        List<CompletableFuture<Void>> chains = new ArrayList<>(byAggregate.size());
        for (List<PendingEvent> events : byAggregate.values()) {
            chains.add(sendInOrder(events, 0, acknowledged, firstFailure));
        }
        CompletableFuture<Outcome> settled = CompletableFuture.allOf(chains.toArray(CompletableFuture[]::new))
                .thenApply(done -> new Outcome(List.copyOf(acknowledged), firstFailure.get()));
        return Uni.createFrom().completionStage(settled);
    }

    private CompletableFuture<Void> sendInOrder(List<PendingEvent> events, int index, List<Long> acknowledged,
            AtomicReference<Throwable> firstFailure) {
        if (index == events.size()) {
            return CompletableFuture.completedFuture(null);
        }
        PendingEvent event = events.get(index);
        // Sends go through the sender thread: send() can block, and Kafka's callback thread must never call it.
        return CompletableFuture.supplyAsync(() -> send(event), sender)
                .thenCompose(ack -> ack)
                .handle((ok, failure) -> {
                    if (failure != null) {
                        firstFailure.compareAndSet(null, failure instanceof CompletionException ? failure.getCause()
                                : failure);
                        return false;
                    }
                    acknowledged.add(event.position());
                    return true;
                })
                .thenCompose(sent -> sent ? sendInOrder(events, index + 1, acknowledged, firstFailure)
                        : CompletableFuture.completedFuture(null));
    }

    private CompletableFuture<Void> send(PendingEvent event) {
        CompletableFuture<Void> ack = new CompletableFuture<>();
        try {
            producer.send(record(event), (metadata, failure) -> {
                if (failure == null) {
                    ack.complete(null);
                } else {
                    ack.completeExceptionally(failure);
                }
            });
        } catch (RuntimeException e) {
            ack.completeExceptionally(e);
        }
        return ack;
    }

    private static ProducerRecord<String, byte[]> record(PendingEvent event) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(event.topic(), event.aggregateId(),
                event.payload().getBytes(StandardCharsets.UTF_8));
        record.headers()
                .add(KafkaHeaders.CE_ID, event.eventId().getBytes(StandardCharsets.UTF_8))
                .add(KafkaHeaders.CE_TYPE, event.eventType().getBytes(StandardCharsets.UTF_8))
                .add(KafkaHeaders.CONTENT_TYPE, EventCodec.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
        return record;
    }

    @Override
    public void close() {
        sender.execute(() -> producer.close(Duration.ofSeconds(5)));
        sender.shutdown();
        try {
            sender.awaitTermination(6, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
