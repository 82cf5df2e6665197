package io.nexus.events;

/**
 * The data of a Nexus platform event. Each payload names the aggregate it describes (the Kafka key and the CloudEvents
 * {@code subject}, so that one aggregate's events stay in order on one partition) and the tenant it belongs to (the
 * {@code tenantid} extension). Payloads carry ids, status and timestamps only: never workflow inputs or outputs, step
 * outputs or session data (docs/api.md §6).
 */
public interface EventPayload {

    String aggregateId();

    String tenantId();
}
