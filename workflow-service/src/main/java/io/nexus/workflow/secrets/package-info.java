/**
 * Tenant secrets (docs/api.md §4.8): the AES-GCM sealing of their values ({@link io.nexus.workflow.secrets.SecretCipher}
 * with the keys of {@link io.nexus.workflow.secrets.SecretKeys}), their opening for an http node's call
 * ({@link io.nexus.workflow.secrets.TenantSecrets}), the masking of their values in what a node records
 * ({@link io.nexus.workflow.secrets.SecretRedaction}), and the re-encryption after a key rotation. No value is ever
 * logged, stored in clear or put in a message.
 *
 * <p>May use {@code domain}, {@code config} and the persistence package; called by {@code service} and {@code engine}.
 */
package io.nexus.workflow.secrets;
