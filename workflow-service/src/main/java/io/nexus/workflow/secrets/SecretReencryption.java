package io.nexus.workflow.secrets;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.nexus.common.background.PeriodicTask;
import io.nexus.workflow.config.SecretsConfig;
import io.nexus.workflow.domain.SealedSecret;
import io.nexus.workflow.repository.SecretRepository;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * The second half of a key rotation (docs/runbook.md, "Rotating the secrets key"): every replica seals, a batch per
 * {@code reencrypt-interval}, the secrets still sealed with a key other than the active one. A put between the read and
 * the write wins (the write is conditional on the row being unchanged). Logs counts and key ids only.
 */
@ApplicationScoped
public class SecretReencryption {

    static final int BATCH = 100;
    private static final Logger LOG = Logger.getLogger(SecretReencryption.class);

    private final SecretRepository repository;
    private final SecretKeys keys;
    private final SecretsConfig config;
    private final Vertx vertx;
    private final PeriodicTask task;

    public SecretReencryption(SecretRepository repository, SecretKeys keys, SecretsConfig config, Vertx vertx) {
        this.repository = repository;
        this.keys = keys;
        this.config = config;
        this.vertx = vertx;
        this.task = new PeriodicTask(LOG, "Re-encrypting tenant secrets", this::batch);
    }

    void start(@Observes StartupEvent event) {
        if (keys.cipher().isPresent()) {
            task.start(vertx, config.reencryptInterval());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        task.stop(vertx);
    }

    /** One batch now (tests, and the first run after a rotation); never fails. */
    public Uni<Void> runOnce() {
        return task.runOnce();
    }

    Uni<Integer> batch() {
        if (keys.cipher().isEmpty()) {
            return Uni.createFrom().item(0);
        }
        SecretCipher cipher = keys.cipher().get();
        String active = cipher.keys().activeId();
        return repository.sealedWithOtherKey(active, BATCH).chain(stale -> Multi.createFrom().iterable(stale)
                .onItem().transformToUniAndConcatenate(secret -> reseal(cipher, secret))
                .collect().asList()
                .map(results -> {
                    int resealed = (int) results.stream().filter(Boolean::booleanValue).count();
                    if (!stale.isEmpty()) {
                        LOG.infof("Re-encrypted %d tenant secrets with key '%s' (%d of this batch skipped)", resealed,
                                active, stale.size() - resealed);
                    }
                    return resealed;
                }));
    }

    private Uni<Boolean> reseal(SecretCipher cipher, SecretRepository.Stored secret) {
        String value;
        try {
            value = cipher.open(secret.tenant(), secret.name(), secret.sealed());
        } catch (SecretCipher.Unreadable e) {
            // Sealed with a key this replica does not have: a rotation removed a key too early. Names only.
            LOG.warnf("Tenant %s: %s", secret.tenant(), e.getMessage());
            return Uni.createFrom().item(false);
        }
        SealedSecret resealed = cipher.seal(secret.tenant(), secret.name(), value);
        return repository.reseal(secret, resealed);
    }

    /** For the tests: how many secrets per key id. */
    public Uni<Map<String, Long>> countByKey() {
        return repository.countByKey();
    }
}
