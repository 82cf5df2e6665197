package io.nexus.events.marketplace;

import java.time.Instant;

import io.nexus.events.EventPayload;

/** {@code tenantId} is the installer; {@code workflow} the name the item was installed as. */
public record ItemInstalled(String itemId, String installId, String tenantId, String version, String workflow,
        Instant installedAt) implements EventPayload {

    @Override
    public String aggregateId() {
        return itemId;
    }
}
