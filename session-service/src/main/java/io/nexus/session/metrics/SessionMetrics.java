package io.nexus.session.metrics;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.nexus.common.http.Channel;
import io.nexus.common.metrics.MetricNames;
import io.quarkus.runtime.StartupEvent;

/**
 * {@code nexus_active_sessions} per channel (docs/api.md §7), registered for every channel at start-up. The session
 * store sets the counts it observes; until it has, the gauges read 0, which is the truth for a store with no sessions.
 */
@ApplicationScoped
public class SessionMetrics {

    private final MeterRegistry registry;
    private final Map<Channel, AtomicLong> active = new EnumMap<>(Channel.class);

    public SessionMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Channel channel : Channel.values()) {
            active.put(channel, new AtomicLong());
        }
    }

    void registerAtStartup(@Observes StartupEvent event) {
        active.forEach((channel, count) -> Gauge.builder(MetricNames.ACTIVE_SESSIONS, count, AtomicLong::get)
                .description("Sessions active now, by the channels they have used")
                .tag("channel", channel.label())
                .register(registry));
    }

    public void activeSessions(Channel channel, long count) {
        active.get(channel).set(count);
    }
}
