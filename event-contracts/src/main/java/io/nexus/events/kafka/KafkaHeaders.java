package io.nexus.events.kafka;

/**
 * Kafka headers every Nexus event carries besides its structured body, so that consumers can route and de-duplicate
 * without parsing it (docs/api.md §6).
 */
public final class KafkaHeaders {

    public static final String CE_ID = "ce_id";
    public static final String CE_TYPE = "ce_type";
    public static final String CONTENT_TYPE = "content-type";

    private KafkaHeaders() {
    }
}
