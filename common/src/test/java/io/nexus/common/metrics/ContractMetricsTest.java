package io.nexus.common.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nexus.common.http.Channel;

class ContractMetricsTest {

    @Test
    void everyRequestIsCountedInItsSeriesAndClientsCannotMintMethodLabels() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ContractMetrics metrics = new ContractMetrics(registry);
        for (int i = 0; i < 3; i++) {
            metrics.recordRequest(Channel.API, "GET", "/api/v1/workflows", 200, 1_000_000);
        }
        metrics.recordRequest(Channel.CLI, "GET", "/api/v1/workflows", 200, 1_000_000);
        for (int i = 0; i < 50; i++) {
            metrics.recordRequest(Channel.API, "X-METHOD-" + i, "/api/v1/workflows", 405, 1_000_000);
        }
        Timer gets = registry.find(MetricNames.REQUEST_DURATION).tags("channel", "api", "method", "GET").timer();
        assertEquals(3, gets.count());
        Set<String> methods = registry.find(MetricNames.REQUEST_DURATION).timers().stream()
                .map(timer -> timer.getId().getTag("method")).collect(Collectors.toSet());
        assertEquals(Set.of("GET", "OTHER"), methods);
        assertEquals(50, registry.find(MetricNames.REQUEST_DURATION).tags("method", "OTHER").timer().count());
    }
}
