package io.nexus.events;

import java.net.URI;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.Instant;
import java.util.Objects;

/**
 * A CloudEvents 1.0 event as Nexus publishes it: the context attributes plus the {@code tenantid} extension, and typed
 * data. Platform events carry an {@link EventPayload}; integration events (what {@code event} nodes publish) carry the
 * JSON their expression produced.
 *
 * @param id      unique per event (a UUIDv7); consumers de-duplicate on it; also the Kafka header {@code ce_id}
 * @param type    e.g. {@code nexus.tenant.created}
 * @param source  the producing service, e.g. {@code /nexus/tenant-service}
 * @param subject the aggregate the event is about; also the Kafka key
 * @param tenantId the {@code tenantid} extension: the tenant the aggregate belongs to
 */
public record NexusEvent<T>(String id, String type, URI source, String subject, OffsetDateTime time, String tenantId,
        T data) {

    public static final String SOURCE_PREFIX = "/nexus/";

    public NexusEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(time, "time");
    }

    /** A platform event about {@code payload}, produced by {@code service} at {@code time}. */
    public static <P extends EventPayload> NexusEvent<P> of(String id, String service, Instant time, P payload) {
        return new NexusEvent<>(id, EventType.ofPayload(payload).type(), URI.create(SOURCE_PREFIX + service),
                payload.aggregateId(), time.atOffset(ZoneOffset.UTC), payload.tenantId(), payload);
    }

    /** The topic a platform event goes to; integration events name theirs when they are written. */
    public String platformTopic() {
        return EventType.ofType(type).map(EventType::topic)
                .orElseThrow(() -> new IllegalStateException(type + " is not a platform event type"));
    }
}
