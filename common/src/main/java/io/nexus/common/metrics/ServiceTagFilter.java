package io.nexus.common.metrics;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;

/** Labels every meter with {@code service}, so one Prometheus query can tell the five services apart. */
public class ServiceTagFilter {

    @Produces
    @Singleton
    public MeterFilter serviceTag(@ConfigProperty(name = "quarkus.application.name") String service) {
        return MeterFilter.commonTags(Tags.of(MetricNames.SERVICE_TAG, service));
    }
}
