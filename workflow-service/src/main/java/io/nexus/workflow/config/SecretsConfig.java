package io.nexus.workflow.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Tenant secrets (docs/api.md §4.8), from {@code nexus.workflow.secrets.*}. */
@ConfigMapping(prefix = "nexus.workflow.secrets")
public interface SecretsConfig {

    /**
     * The AES keys secrets are sealed with, each {@code id:base64} of 32 random bytes (AES-256), comma-separated
     * (NEXUS_SECRETS_KEYS, from Secret {@code nexus-secrets}). Keys that are not active only decrypt: keep an old key
     * here until every secret has been re-encrypted with the new one (docs/runbook.md, "Rotating the secrets key").
     * None set: the secrets API answers 503 and http nodes that read {@code secrets} fail with {@code unavailable}.
     */
    Optional<List<String>> keys();

    /** The id of the key new and re-encrypted secrets are sealed with (NEXUS_SECRETS_ACTIVE_KEY); optional with one key. */
    Optional<String> activeKey();

    /** Secrets one tenant may store. */
    @WithDefault("100")
    int maxPerTenant();

    /** The largest secret value, in UTF-8 bytes. */
    @WithDefault("8192")
    int maxValueBytes();

    /** How often each replica re-encrypts secrets sealed with a key other than the active one (a small batch a run). */
    @WithDefault("1m")
    Duration reencryptInterval();
}
