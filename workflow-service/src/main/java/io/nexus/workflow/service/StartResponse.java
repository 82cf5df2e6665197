package io.nexus.workflow.service;

/**
 * What a start answers: 200 with the result, or 202 with where to follow the execution. {@code body} is a view record
 * ({@code ExecutionOutcomeView}, {@code ExecutionAcceptedView}), or the stored JSON of the first answer when an
 * Idempotency-Key replays it.
 */
public record StartResponse(int status, Object body, String location) {
}
