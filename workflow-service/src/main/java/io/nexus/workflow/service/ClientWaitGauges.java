package io.nexus.workflow.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/**
 * What clients hold open on this replica: {@code nexus_workflow_event_streams_open} (Server-Sent Events streams) and
 * {@code nexus_workflow_sync_starts_waiting} (sync starts waiting for their execution's end). Both fall as soon as a
 * client leaves, which is how an operator (and the fault suite) sees that a client gone at the gateway released its
 * work here too; a value that only climbs means streams or waits that nobody ends. (In this package, not in
 * metrics: it reads the services, and metrics must not depend on them.)
 */
@ApplicationScoped
public class ClientWaitGauges {

    public static final String EVENT_STREAMS = "nexus.workflow.event.streams.open";
    public static final String SYNC_STARTS = "nexus.workflow.sync.starts.waiting";

    private final MeterRegistry registry;
    private final ExecutionEventStream streams;
    private final ExecutionStarter starter;

    public ClientWaitGauges(MeterRegistry registry, ExecutionEventStream streams, ExecutionStarter starter) {
        this.registry = registry;
        this.streams = streams;
        this.starter = starter;
    }

    void register(@Observes StartupEvent event) {
        Gauge.builder(EVENT_STREAMS, streams, ExecutionEventStream::openStreams)
                .description("Execution event streams (Server-Sent Events) this replica serves")
                .register(registry);
        Gauge.builder(SYNC_STARTS, starter, ExecutionStarter::waitingSyncStarts)
                .description("Sync execution starts on this replica waiting for their execution to end")
                .register(registry);
    }
}
