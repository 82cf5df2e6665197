package io.nexus.common.metrics;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

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
@Singleton
public class ContractMetrics {

    /** Label value for the request-histogram series registered before any request has a route or status. */
    static final String NOT_YET_OBSERVED = "";

    private static final Set<String> STANDARD_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE",
            "OPTIONS", "TRACE", "CONNECT");
    static final String OTHER_METHOD = "OTHER";

    private final MeterRegistry registry;
    private final Map<ErrorType, Counter> errors = new EnumMap<>(ErrorType.class);
    private final Meter.MeterProvider<Timer> requestDurations;
    private final Map<RequestSeries, Timer> requestTimers = new ConcurrentHashMap<>();

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
        if (!STANDARD_METHODS.contains(method)) {
            method = OTHER_METHOD; // HTTP allows any token as a method: a client must not mint label values
        }
        RequestSeries series = new RequestSeries(channel, method, route, status);
        Timer timer = requestTimers.get(series);
        if (timer == null) {
            // Looking a timer up in the registry builds its id, sorts its tags and runs every meter filter: far more
            // than the record itself. The series are bounded (route templates, methods, statuses), so keep them.
            timer = requestDurations.withTags(Tags.of("channel", channel.label(), "method", method, "route", route,
                    "status", Integer.toString(status)));
            requestTimers.put(series, timer);
        }
        timer.record(durationNanos, TimeUnit.NANOSECONDS);
    }

    private record RequestSeries(Channel channel, String method, String route, int status) {
    }

    public void countError(ErrorType type) {
        Counter counter = errors.get(type);
        if (counter != null) {
            counter.increment();
        }
    }
}
