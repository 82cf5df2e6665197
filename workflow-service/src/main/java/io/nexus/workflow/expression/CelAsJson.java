package io.nexus.workflow.expression;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.primitives.UnsignedLong;

import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypes;
import dev.cel.common.values.CelByteString;
import dev.cel.common.values.NullValue;
import io.nexus.workflow.domain.StorableJson;

/**
 * CEL results as Jackson values, within a size budget. The budget is counted while converting, not afterwards: CEL
 * lists can share structure ({@code [l, l]} nested a few times is tiny in memory and huge as JSON), so the writer
 * must stop as soon as the output passes the limit instead of materializing it first.
 *
 * <p>Bytes are written as base64 text, timestamps as RFC 3339 text, durations as CEL writes them ({@code "1.5s"}),
 * map keys as their text ({@code {1: "a"}} becomes {@code {"1": "a"}}).
 */
final class CelAsJson {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final long maxBytes;
    private long bytes;

    private CelAsJson(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    static JsonNode convert(Object value, int maxBytes) throws ExpressionFailure {
        return new CelAsJson(maxBytes).write(value);
    }

    private JsonNode write(Object value) throws ExpressionFailure {
        if (value == null || value instanceof NullValue || value instanceof com.google.protobuf.NullValue) {
            count(4);
            return JSON.nullNode();
        }
        if (value instanceof Boolean bool) {
            count(bool ? 4 : 5);
            return JSON.booleanNode(bool);
        }
        if (value instanceof Long number) {
            return writeInteger(number);
        }
        if (value instanceof Double number) {
            return writeDouble(number);
        }
        if (value instanceof String text) {
            return writeText(text);
        }
        if (value instanceof List<?> list) {
            return writeList(list);
        }
        if (value instanceof Map<?, ?> map) {
            return writeMap(map);
        }
        if (value instanceof CelByteString bytesValue) {
            return writeText(Base64.getEncoder().encodeToString(bytesValue.toByteArray()));
        }
        if (value instanceof Instant timestamp) {
            return writeText(timestamp.toString());
        }
        if (value instanceof Duration duration) {
            return writeText(durationText(duration));
        }
        if (value instanceof UnsignedLong unsigned) {
            if (unsigned.compareTo(UnsignedLong.valueOf(Long.MAX_VALUE)) <= 0) {
                return writeInteger(unsigned.longValue());
            }
            count(unsigned.toString().length());
            return JSON.numberNode(unsigned.bigIntegerValue());
        }
        if (value instanceof CelType type) {
            return writeText(CelTypes.format(type));
        }
        throw ExpressionFailure.expression("the result contains a " + value.getClass().getSimpleName()
                + " value, which has no JSON form");
    }

    /** The node Jackson itself would parse the number into, so results compare equal to parsed JSON. */
    private JsonNode writeInteger(long number) throws ExpressionFailure {
        count(Long.toString(number).length());
        return number == (int) number ? JSON.numberNode((int) number) : JSON.numberNode(number);
    }

    private JsonNode writeDouble(double number) throws ExpressionFailure {
        if (Double.isNaN(number) || Double.isInfinite(number)) {
            throw ExpressionFailure.expression("the result contains " + number + ", which JSON cannot represent");
        }
        count(Double.toString(number).length());
        return JSON.numberNode(number);
    }

    private JsonNode writeText(String text) throws ExpressionFailure {
        requireStorable(text);
        count(2L + jsonTextBytes(text));
        return JSON.textNode(text);
    }

    private JsonNode writeList(List<?> list) throws ExpressionFailure {
        count(2L + Math.max(0, list.size() - 1));
        ArrayNode array = JSON.arrayNode(list.size());
        for (Object element : list) {
            array.add(write(element));
        }
        return array;
    }

    private JsonNode writeMap(Map<?, ?> map) throws ExpressionFailure {
        count(2L + Math.max(0, map.size() - 1));
        ObjectNode object = JSON.objectNode();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String key = keyText(entry.getKey());
            requireStorable(key);
            count(3L + jsonTextBytes(key));
            object.set(key, write(entry.getValue()));
        }
        return object;
    }

    /** Results are stored in jsonb, which cannot hold U+0000: the node fails here, not the commit forever after. */
    private static void requireStorable(String text) throws ExpressionFailure {
        if (!StorableJson.storable(text)) {
            throw ExpressionFailure.expression("the result " + StorableJson.NUL_REASON);
        }
    }

    private static String keyText(Object key) {
        if (key instanceof String text) {
            return text;
        }
        return String.valueOf(key);
    }

    private void count(long more) throws ExpressionFailure {
        bytes += more;
        if (bytes > maxBytes) {
            throw ExpressionFailure.limit(String.format(Locale.ROOT,
                    "the result is larger than %,d bytes serialized", maxBytes));
        }
    }

    /** UTF-8 length plus escapes, close enough to what Jackson writes to enforce the limit honestly. */
    static long jsonTextBytes(String text) {
        long length = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                length += 2;
            } else if (c < 0x20) {
                length += 6;
            } else if (c < 0x80) {
                length += 1;
            } else if (c < 0x800 || Character.isSurrogate(c)) {
                // A surrogate pair is 4 UTF-8 bytes in total: 2 per half.
                length += 2;
            } else {
                length += 3;
            }
        }
        return length;
    }

    /** CEL's own duration text: seconds with as many fractional digits as needed, e.g. {@code 1.5s}, {@code 3600s}. */
    static String durationText(Duration duration) {
        BigDecimal seconds = new BigDecimal(BigInteger.valueOf(duration.getSeconds()))
                .add(BigDecimal.valueOf(duration.getNano(), 9));
        return seconds.stripTrailingZeros().toPlainString() + "s";
    }
}
