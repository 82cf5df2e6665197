package io.nexus.workflow.service;

import io.nexus.workflow.repository.IdempotencyRepository.KeyScope;

/** An Idempotency-Key a start claims in its own transaction, with the hash of the request it belongs to. */
public record IdempotencyKeyClaim(KeyScope scope, String requestHash) {

    /** The key was already claimed by an earlier request: the start rolls back and answers from the first. */
    static final class Taken extends RuntimeException {
        Taken() {
            super("idempotency key taken", null, false, false);
        }
    }
}
