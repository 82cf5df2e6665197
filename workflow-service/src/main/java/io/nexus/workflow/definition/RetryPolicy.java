package io.nexus.workflow.definition;

/** {@code maxAttempts} counts the first attempt; {@code backoffMs} is the pause before each further attempt. */
public record RetryPolicy(int maxAttempts, long backoffMs) {
}
