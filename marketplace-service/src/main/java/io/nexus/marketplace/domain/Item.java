package io.nexus.marketplace.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A published item: what its publisher wrote about it, and the publisher's workflow its versions were taken from.
 * {@code latestVersion} is the highest version not yanked; null when every version is yanked.
 */
public record Item(UUID id, UUID publisher, String name, String summary, String description,
        List<String> categories, List<String> tags, String license, String workflow, String latestVersion,
        Instant createdAt, Instant updatedAt) {
}
