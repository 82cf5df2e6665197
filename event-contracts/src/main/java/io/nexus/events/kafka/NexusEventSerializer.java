package io.nexus.events.kafka;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

import io.nexus.events.EventCodec;
import io.nexus.events.NexusEvent;

/** Kafka serializer writing the structured-mode body and the {@code ce_id}, {@code ce_type} headers. */
public class NexusEventSerializer implements Serializer<NexusEvent<?>> {

    private final EventCodec codec = new EventCodec();

    @Override
    public byte[] serialize(String topic, NexusEvent<?> event) {
        return event == null ? null : codec.encode(event);
    }

    @Override
    public byte[] serialize(String topic, Headers headers, NexusEvent<?> event) {
        if (event == null) {
            return null;
        }
        headers.remove(KafkaHeaders.CE_ID).add(KafkaHeaders.CE_ID, event.id().getBytes(StandardCharsets.UTF_8));
        headers.remove(KafkaHeaders.CE_TYPE).add(KafkaHeaders.CE_TYPE, event.type().getBytes(StandardCharsets.UTF_8));
        headers.remove(KafkaHeaders.CONTENT_TYPE)
                .add(KafkaHeaders.CONTENT_TYPE, EventCodec.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
        return codec.encode(event);
    }
}
