package io.nexus.workflow.domain;

/**
 * A secret's value as stored: AES-GCM ciphertext (with its tag) under the key {@code keyId} and a 96-bit nonce. Never
 * the value itself.
 */
public record SealedSecret(String keyId, byte[] nonce, byte[] ciphertext) {
}
