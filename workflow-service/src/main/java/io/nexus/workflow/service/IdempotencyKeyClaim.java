package io.nexus.workflow.service;

import io.nexus.workflow.repository.IdempotencyRepository.KeyScope;

/** An Idempotency-Key a start claims in its own transaction, with the hash of the request it belongs to. */
public record IdempotencyKeyClaim(KeyScope scope, String requestHash) {
}
