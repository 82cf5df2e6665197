package io.nexus.common.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class RawUriTagFilterTest {

    @Test
    void rawPathsOfRefusedRequestsShareOneSeriesAndTemplatesKeepTheirs() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        registry.config().meterFilter(new RawUriTagFilter().rawUriTag());
        for (String uri : new String[] {"/api/v1/tenants/%01/api-keys", "/api/v1/workflows/a%00b", "/x\u0001y",
                "/api/v1/workflows/%ZZ", "/api/v1/workflows/a b"}) {
            Counter.builder("http.server.requests").tag("uri", uri).tag("status", "400").register(registry)
                    .increment();
        }
        Counter.builder("http.server.requests").tag("uri", "/api/v1/workflows/{name}").tag("status", "200")
                .register(registry).increment();
        Counter.builder("http.server.requests").tag("uri", "NOT_FOUND").tag("status", "404").register(registry)
                .increment();

        assertEquals(5.0, registry.get("http.server.requests").tag("uri", RawUriTagFilter.INVALID).counter().count());
        assertEquals(1.0, registry.get("http.server.requests").tag("uri", "/api/v1/workflows/{name}").counter()
                .count());
        assertEquals(1.0, registry.get("http.server.requests").tag("uri", "NOT_FOUND").counter().count());
        assertEquals(3, registry.getMeters().size());
    }

    @Test
    void metersWithoutAUriAreLeftAlone() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        registry.config().meterFilter(new RawUriTagFilter().rawUriTag());
        Counter.builder("nexus.errors").tag("type", "a%b").register(registry).increment();
        assertEquals(1.0, registry.get("nexus.errors").tag("type", "a%b").counter().count());
    }
}
