package io.nexus.workflow.secrets;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.nexus.workflow.config.SecretsConfig;
import io.quarkus.runtime.StartupEvent;

/**
 * The replica's {@link SecretCipher}, from {@code nexus.workflow.secrets.keys}. Without keys the service still starts
 * (everything but secrets works) and warns at start-up; the secrets API then answers 503 and http nodes that read
 * {@code secrets} fail with {@code unavailable}. Keys that are set but malformed stop the start-up: a typo must not
 * look like a missing Secret.
 */
@ApplicationScoped
public class SecretKeys {

    private static final Logger LOG = Logger.getLogger(SecretKeys.class);

    private final Optional<SecretCipher> cipher;

    public SecretKeys(SecretsConfig config) {
        List<String> entries = config.keys().orElse(List.of()).stream().filter(entry -> !entry.isBlank()).toList();
        cipher = entries.isEmpty() ? Optional.empty()
                : Optional.of(new SecretCipher(SecretKeyRing.parse(entries, config.activeKey())));
    }

    void warnWhenMissing(@Observes StartupEvent event) {
        if (cipher.isEmpty()) {
            LOG.warn("Tenant secrets are disabled: NEXUS_SECRETS_KEYS (nexus.workflow.secrets.keys) is not set. "
                    + "The secrets API answers 503 and http nodes that read secrets fail until it is.");
        } else {
            LOG.infof("Tenant secrets are sealed with key '%s'", cipher.get().keys().activeId());
        }
    }

    /** The cipher, or empty when no key is configured. */
    public Optional<SecretCipher> cipher() {
        return cipher;
    }
}
