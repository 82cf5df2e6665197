package io.nexus.marketplace.metrics;

import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.nexus.common.metrics.MetricNames;
import io.quarkus.runtime.StartupEvent;

/** {@code nexus_marketplace_operations_total} by operation (docs/api.md §7), every operation registered at start-up. */
@ApplicationScoped
public class MarketplaceMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> operations = new HashMap<>();

    public MarketplaceMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void registerAtStartup(@Observes StartupEvent event) {
        for (String operation : MetricNames.MARKETPLACE_OPERATION_VALUES) {
            operations.put(operation, Counter.builder(MetricNames.MARKETPLACE_OPERATIONS)
                    .description("Marketplace searches, installs, publications and reviews")
                    .tag("operation", operation)
                    .register(registry));
        }
    }

    /** Counts one operation; {@code operation} is one of {@link MetricNames#MARKETPLACE_OPERATION_VALUES}. */
    public void operation(String operation) {
        Counter counter = operations.get(operation);
        if (counter == null) {
            throw new IllegalArgumentException("not a marketplace operation: " + operation);
        }
        counter.increment();
    }
}
