package io.nexus.workflow.rest.dto;

import java.time.Instant;

/** A tenant secret as the API shows it: its name and when it was written. Its value is never returned. */
public record SecretView(String name, Instant createdAt, Instant updatedAt) {
}
