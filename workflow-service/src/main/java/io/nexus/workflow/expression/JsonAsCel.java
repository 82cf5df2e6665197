package io.nexus.workflow.expression;

import java.io.IOException;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.RandomAccess;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.cel.common.values.CelByteString;
import dev.cel.common.values.NullValue;

/**
 * Jackson values as CEL sees them (docs/api.md §5): a number without fraction or exponent that fits 64 bits is an
 * {@code int} ({@link Long}), any other number a {@code double}; text, booleans and null map to their CEL kinds;
 * arrays and objects become read-only {@link java.util.List} and {@link Map} views.
 *
 * <p>The views convert on access, so an evaluation pays for what the expression reads and not for every node output
 * it could have read: an edge condition looking at one flag costs the same beside a 200 KiB response body.
 */
final class JsonAsCel {

    private JsonAsCel() {
    }

    static Object value(JsonNode node) {
        if (node == null) {
            return NullValue.NULL_VALUE;
        }
        switch (node.getNodeType()) {
            case BOOLEAN:
                return node.booleanValue();
            case NUMBER:
                // Always Long or Double: CEL has no overloads for Integer, BigInteger or BigDecimal.
                return node.isIntegralNumber() && node.canConvertToLong() ? (Object) node.longValue()
                        : (Object) node.doubleValue();
            case STRING:
                return node.textValue();
            case ARRAY:
                return new ArrayView(node);
            case OBJECT:
                return new ObjectView(node);
            case BINARY:
                return bytes(node);
            default:
                // NULL, MISSING and POJO nodes: nothing an expression could use.
                return NullValue.NULL_VALUE;
        }
    }

    /** A map of JSON values keyed by name, converted on access ({@code nodes}); it must hold no null values. */
    static Map<String, Object> map(Map<String, JsonNode> values) {
        return new ConvertingMap(values);
    }

    private static Object bytes(JsonNode node) {
        try {
            return CelByteString.of(node.binaryValue());
        } catch (IOException e) {
            return NullValue.NULL_VALUE;
        }
    }

    private static final class ArrayView extends AbstractList<Object> implements RandomAccess {
        private final JsonNode array;

        ArrayView(JsonNode array) {
            this.array = array;
        }

        @Override
        public Object get(int index) {
            if (index < 0 || index >= array.size()) {
                throw new IndexOutOfBoundsException("index " + index + " out of range for a list of " + array.size());
            }
            return value(array.get(index));
        }

        @Override
        public int size() {
            return array.size();
        }
    }

    private static final class ObjectView extends AbstractMap<String, Object> {
        private final JsonNode object;

        ObjectView(JsonNode object) {
            this.object = object;
        }

        @Override
        public Object get(Object key) {
            if (!(key instanceof String name)) {
                return null;
            }
            JsonNode child = object.get(name);
            return child == null ? null : value(child);
        }

        @Override
        public boolean containsKey(Object key) {
            return key instanceof String name && object.has(name);
        }

        @Override
        public int size() {
            return object.size();
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<String, Object>> iterator() {
                    Iterator<Entry<String, JsonNode>> properties = object.properties().iterator();
                    return new Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            return properties.hasNext();
                        }

                        @Override
                        public Entry<String, Object> next() {
                            Entry<String, JsonNode> property = properties.next();
                            return new SimpleImmutableEntry<>(property.getKey(), value(property.getValue()));
                        }
                    };
                }

                @Override
                public int size() {
                    return object.size();
                }
            };
        }
    }

    private static final class ConvertingMap extends AbstractMap<String, Object> {
        private final Map<String, JsonNode> values;

        ConvertingMap(Map<String, JsonNode> values) {
            this.values = values;
        }

        @Override
        public Object get(Object key) {
            JsonNode value = key instanceof String ? values.get(key) : null;
            return value == null ? null : value(value);
        }

        @Override
        public boolean containsKey(Object key) {
            return key instanceof String && values.get(key) != null;
        }

        @Override
        public int size() {
            return values.size();
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<String, Object>> iterator() {
                    return values.entrySet().stream()
                            .<Entry<String, Object>>map(entry -> new SimpleImmutableEntry<>(entry.getKey(),
                                    value(entry.getValue())))
                            .iterator();
                }

                @Override
                public int size() {
                    return values.size();
                }
            };
        }
    }
}
