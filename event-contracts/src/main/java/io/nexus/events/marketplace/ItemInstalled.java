package io.nexus.events.marketplace;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

import io.nexus.events.EventPayload;

/**
 * An install was asked for: {@code tenantId} is the installer, {@code workflow} the name the item is installed as,
 * {@code version} the item's semver version and {@code definition} that version's immutable snapshot. The event
 * carries the definition so that workflow-service can create the workflow from the event alone, also when it is
 * replayed while marketplace-service is down; published items are public to every tenant anyway.
 */
public record ItemInstalled(String itemId, String installId, String tenantId, String version, String workflow,
        JsonNode definition, Instant installedAt) implements EventPayload {

    @Override
    public String aggregateId() {
        return itemId;
    }
}
