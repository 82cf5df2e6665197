package io.nexus.marketplace.domain;

import java.time.Instant;
import java.util.UUID;

/** One immutable version of an item; {@code definition} (JSON text) is null where only the listing was read. */
public record ItemVersion(UUID itemId, String version, int workflowVersion, String definition, Instant publishedAt,
        Instant yankedAt) {

    public boolean yanked() {
        return yankedAt != null;
    }

    public Semver semver() {
        return Semver.parse(version).orElseThrow(() -> new IllegalStateException(
                "a stored version is always a semantic version: " + version));
    }
}
