package io.nexus.common.outbox;

import io.vertx.mutiny.sqlclient.Row;

/** An outbox row waiting to be published. */
record PendingEvent(long position, String eventId, String eventType, String topic, String aggregateId,
        String payload) {

    static PendingEvent of(Row row) {
        return new PendingEvent(row.getLong("position"), row.getString("event_id"), row.getString("event_type"),
                row.getString("topic"), row.getString("aggregate_id"), row.getString("payload"));
    }
}
