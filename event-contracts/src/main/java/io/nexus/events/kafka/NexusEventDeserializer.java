package io.nexus.events.kafka;

import org.apache.kafka.common.serialization.Deserializer;

import io.nexus.events.EventCodec;
import io.nexus.events.NexusEvent;

/**
 * Kafka deserializer for integrations: platform events come back with their payload record, integration events with
 * their JSON data.
 */
public class NexusEventDeserializer implements Deserializer<NexusEvent<?>> {

    private final EventCodec codec = new EventCodec();

    @Override
    public NexusEvent<?> deserialize(String topic, byte[] data) {
        return data == null ? null : codec.decode(data);
    }
}
