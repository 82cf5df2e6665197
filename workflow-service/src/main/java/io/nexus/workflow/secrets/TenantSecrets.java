package io.nexus.workflow.secrets;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.nexus.workflow.domain.ExecutionError;
import io.nexus.workflow.domain.SealedSecret;
import io.nexus.workflow.repository.SecretRepository;
import io.smallrye.mutiny.Uni;

/**
 * The secrets an http node reads, opened for one call: only the names its expressions reference, held in memory for
 * that call and never stored. Failures name secrets, never values.
 */
@ApplicationScoped
public class TenantSecrets {

    private final SecretRepository repository;
    private final SecretKeys keys;

    public TenantSecrets(SecretRepository repository, SecretKeys keys) {
        this.repository = repository;
        this.keys = keys;
    }

    /**
     * The values of the tenant's secrets {@code names}, or why they cannot be had: {@code not-found} naming the
     * secrets the tenant has not stored, {@code unavailable} without keys or database. Never fails.
     */
    public Uni<Opened> open(UUID tenant, Set<String> names) {
        if (names.isEmpty()) {
            return Uni.createFrom().item(new Opened(Map.of(), null, null));
        }
        if (keys.cipher().isEmpty()) {
            return Uni.createFrom().item(Opened.failure(ExecutionError.UNAVAILABLE,
                    "secrets are not configured on this service (NEXUS_SECRETS_KEYS)"));
        }
        SecretCipher cipher = keys.cipher().get();
        return repository.sealed(tenant, names)
                .map(found -> open(cipher, tenant, names, found))
                .onFailure().recoverWithItem(failure -> Opened.failure(ExecutionError.UNAVAILABLE,
                        "the secrets could not be read: the database did not answer"));
    }

    private static Opened open(SecretCipher cipher, UUID tenant, Set<String> names, Map<String, SealedSecret> found) {
        Set<String> missing = new TreeSet<>(names);
        missing.removeAll(found.keySet());
        if (!missing.isEmpty()) {
            return Opened.failure(ExecutionError.NOT_FOUND, (missing.size() == 1 ? "secret " : "secrets ")
                    + String.join(", ", missing.stream().map(name -> "'" + name + "'").toList())
                    + (missing.size() == 1 ? " does" : " do") + " not exist (PUT /api/v1/secrets/{name})");
        }
        Map<String, String> values = new TreeMap<>();
        for (Map.Entry<String, SealedSecret> secret : found.entrySet()) {
            try {
                values.put(secret.getKey(), cipher.open(tenant, secret.getKey(), secret.getValue()));
            } catch (SecretCipher.Unreadable e) {
                return Opened.failure(ExecutionError.UNAVAILABLE, e.getMessage());
            }
        }
        return new Opened(Map.copyOf(values), null, null);
    }

    /** Opened secrets by name, or the step error code and message of why not. */
    public record Opened(Map<String, String> values, String code, String message) {

        static Opened failure(String code, String message) {
            return new Opened(Map.of(), code, message);
        }

        public boolean failed() {
            return code != null;
        }

        /** Never prints the values. */
        @Override
        public String toString() {
            return failed() ? "Opened[" + code + ": " + message + "]" : "Opened" + values.keySet();
        }
    }
}
