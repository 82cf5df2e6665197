package io.nexus.common.metrics;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * Keeps raw request paths out of the {@code uri} label of the HTTP server metrics. A request refused before routing
 * (a NUL, a malformed escape, a control character) has no route template, so Quarkus would label it with its path as
 * sent: every such path a new series, bytes an attacker chooses in every scrape. A {@code uri} value that could not be
 * a route template (anything beyond letters, digits, {@code / { } . _ ~ -}) becomes {@value #INVALID}.
 */
public class RawUriTagFilter {

    public static final String INVALID = "INVALID";
    private static final String URI_TAG = "uri";

    @Produces
    @Singleton
    public MeterFilter rawUriTag() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return sanitized(id);
            }
        };
    }

    static Meter.Id sanitized(Meter.Id id) {
        String uri = id.getTag(URI_TAG);
        if (uri == null || isTemplate(uri)) {
            return id;
        }
        List<Tag> tags = new ArrayList<>();
        for (Tag tag : id.getTagsAsIterable()) {
            tags.add(tag.getKey().equals(URI_TAG) ? Tag.of(URI_TAG, INVALID) : tag);
        }
        return id.replaceTags(tags);
    }

    static boolean isTemplate(String uri) {
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            boolean allowed = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '/' || c == '{' || c == '}' || c == '.' || c == '_' || c == '~' || c == '-';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }
}
