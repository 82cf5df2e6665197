package io.nexus.common.http;

import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Hands the check of request targets from Quarkus to {@link MalformedQueryProblems}. Quarkus's root handler answers a
 * target that is not a valid URI ({@code ?cursor=%ZZ}) with a bare, empty 400 before any route runs, unless the
 * system property {@code vertx.disableURIValidation} is set when the HTTP server starts; no configuration key reaches
 * it. A configuration source is the earliest code of the service that Quarkus runs (it reads the configuration
 * before it starts anything), so this one sets the property and contributes no configuration.
 */
public class RequestTargetValidation implements ConfigSource {

    public RequestTargetValidation() {
        System.setProperty(MalformedQueryProblems.QUARKUS_URI_VALIDATION_OFF, "true");
    }

    @Override
    public Set<String> getPropertyNames() {
        return Set.of();
    }

    @Override
    public Map<String, String> getProperties() {
        return Map.of();
    }

    @Override
    public String getValue(String propertyName) {
        return null;
    }

    @Override
    public String getName() {
        return RequestTargetValidation.class.getSimpleName();
    }

    @Override
    public int getOrdinal() {
        return Integer.MIN_VALUE;
    }
}
