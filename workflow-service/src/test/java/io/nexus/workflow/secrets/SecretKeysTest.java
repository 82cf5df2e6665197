package io.nexus.workflow.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.nexus.common.problem.ProblemException;
import io.nexus.common.problem.ProblemType;
import io.nexus.workflow.config.SecretsConfig;
import io.nexus.workflow.domain.ExecutionError;
import io.nexus.workflow.service.SecretService;

/** Without keys the service runs, but nothing is sealed or opened: 503 for writes, {@code unavailable} for nodes. */
class SecretKeysTest {

    @Test
    void withoutKeysWritesAnswer503AndNodesGetUnavailable() throws Exception {
        SecretKeys keys = new SecretKeys(config(Optional.empty()));
        assertTrue(keys.cipher().isEmpty());

        SecretService service = new SecretService(null, keys, config(Optional.empty()), null);
        ProblemException refused = assertThrows(ProblemException.class, () -> service.put(UUID.randomUUID(), "A",
                new ObjectMapper().readTree("{\"value\": \"v\"}")));
        assertEquals(ProblemType.SERVICE_UNAVAILABLE, refused.type());

        TenantSecrets.Opened opened = new TenantSecrets(null, keys).open(UUID.randomUUID(), Set.of("A"))
                .await().atMost(Duration.ofSeconds(1));
        assertTrue(opened.failed());
        assertEquals(ExecutionError.UNAVAILABLE, opened.code());
    }

    @Test
    void malformedKeysStopTheStartUpWithoutShowingThem() {
        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class,
                () -> new SecretKeys(config(Optional.of(List.of("k1:c2hvcnQ=")))));
        assertFalse(failure.getMessage().contains("c2hvcnQ="));
    }

    private static SecretsConfig config(Optional<List<String>> keys) {
        return new SecretsConfig() {
            @Override
            public Optional<List<String>> keys() {
                return keys;
            }

            @Override
            public Optional<String> activeKey() {
                return Optional.empty();
            }

            @Override
            public int maxPerTenant() {
                return 100;
            }

            @Override
            public int maxValueBytes() {
                return 8192;
            }

            @Override
            public Duration reencryptInterval() {
                return Duration.ofMinutes(1);
            }
        };
    }
}
