package io.nexus.workflow.expression;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.google.common.primitives.UnsignedLong;

import dev.cel.common.values.CelByteString;
import dev.cel.common.values.NullValue;

/** A CEL value named by its CEL type and quoted briefly, for messages like {@code expected a bool, got int 3}. */
final class CelValueText {

    private static final int MAX_QUOTED = 60;

    private CelValueText() {
    }

    static String describe(Object value) {
        if (value == null || value instanceof NullValue || value instanceof com.google.protobuf.NullValue) {
            return "null";
        }
        if (value instanceof Boolean bool) {
            return "bool " + bool;
        }
        if (value instanceof Long number) {
            return "int " + number;
        }
        if (value instanceof Double number) {
            return "double " + number;
        }
        if (value instanceof UnsignedLong number) {
            return "uint " + number;
        }
        if (value instanceof String text) {
            return "string " + quote(text);
        }
        if (value instanceof CelByteString bytes) {
            return "bytes of length " + bytes.size();
        }
        if (value instanceof List<?> list) {
            return "list of " + list.size() + (list.size() == 1 ? " element" : " elements");
        }
        if (value instanceof Map<?, ?> map) {
            return "map of " + map.size() + (map.size() == 1 ? " entry" : " entries");
        }
        if (value instanceof Instant timestamp) {
            return "timestamp " + timestamp;
        }
        if (value instanceof Duration duration) {
            return "duration " + CelAsJson.durationText(duration);
        }
        return value.getClass().getSimpleName();
    }

    static String quote(String text) {
        String shown = text.length() > MAX_QUOTED ? text.substring(0, MAX_QUOTED) + "…" : text;
        return "'" + shown.replace("\n", "\\n") + "'";
    }
}
