package io.nexus.common.metrics;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.nexus.common.http.Channel;
import io.quarkus.runtime.StartupEvent;

/**
 * The docs/api.md §7 metrics every service exports: request durations per channel, server-side errors and resident
 * memory. Registered at start-up with every known label value so that they appear in the first scrape.
 */
@ApplicationScoped
public class ContractMetrics {

    /** Label value for the request-histogram series registered before any request has a route or status. */
    static final String NOT_YET_OBSERVED = "";

    private final MeterRegistry registry;
    private final Map<ErrorType, Counter> errors = new EnumMap<>(ErrorType.class);
    private final Meter.MeterProvider<Timer> requestDurations;

    public ContractMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.requestDurations = Timer.builder(MetricNames.REQUEST_DURATION)
                .description("Requests by channel, method, route template and status")
                .serviceLevelObjectives(MetricNames.DURATION_BUCKETS)
                .withRegistry(registry);
    }

    void registerAtStartup(@Observes StartupEvent event) {
        for (ErrorType type : ErrorType.values()) {
            errors.put(type, Counter.builder(MetricNames.ERRORS)
                    .description("Server-side failures: 5xx answers, failed message handling, outbox relay failures")
                    .tag("type", type.label())
                    .register(registry));
        }
        Gauge.builder(MetricNames.MEMORY_USAGE, ProcessMemory::residentBytes)
                .description("Resident memory of the process")
                .baseUnit("bytes")
                .register(registry);
        for (Channel channel : Channel.values()) {
            requestDurations.withTags(Tags.of("channel", channel.label(), "method", NOT_YET_OBSERVED,
                    "route", NOT_YET_OBSERVED, "status", NOT_YET_OBSERVED));
        }
    }

    public void recordRequest(Channel channel, String method, String route, int status, long durationNanos) {
        requestDurations.withTags(Tags.of("channel", channel.label(), "method", method, "route", route,
                "status", Integer.toString(status))).record(durationNanos, TimeUnit.NANOSECONDS);
    }

    public void countError(ErrorType type) {
        Counter counter = errors.get(type);
        if (counter != null) {
            counter.increment();
        }
    }
}
