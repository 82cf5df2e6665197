package io.nexus.workflow.domain;

import java.time.Instant;

/** A tenant secret as lists show it: its name and when it was written, never its value. */
public record SecretSummary(String name, Instant createdAt, Instant updatedAt) {
}
