package io.nexus.session.domain;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A session's data as Redis keeps it: one hash field per top-level member, {@code d:} followed by the member's name as
 * a JSON string, holding the member's JSON text. Keeping members apart lets one Lua step merge a patch atomically
 * without parsing JSON in Redis (whose cjson rounds numbers to 14 digits and turns {@code []} into {@code {}}), and
 * lets the data's serialized size be tracked exactly: the sum over members of name + colon + value + separator.
 */
public final class SessionData {

    public static final String FIELD_PREFIX = "d:";
    public static final String EMPTY = "{}";

    private SessionData() {
    }

    public static boolean isDataField(String field) {
        return field.startsWith(FIELD_PREFIX);
    }

    /** The hash field of the member {@code name}. */
    public static String field(ObjectMapper mapper, String name) {
        return FIELD_PREFIX + json(mapper, mapper.getNodeFactory().textNode(name));
    }

    /** Hash fields and JSON texts of every member of {@code data}, in its order. */
    public static Map<String, String> fields(ObjectMapper mapper, ObjectNode data) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = data.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> member = it.next();
            fields.put(field(mapper, member.getKey()), json(mapper, member.getValue()));
        }
        return fields;
    }

    /** What the merge script tracks as {@code size}: serialized bytes of the data, less the opening brace. */
    public static long size(Map<String, String> fields) {
        long size = 0;
        for (Map.Entry<String, String> member : fields.entrySet()) {
            size += utf8Length(member.getKey()) - FIELD_PREFIX.length() + 1 + utf8Length(member.getValue()) + 1;
        }
        return size;
    }

    /** Serialized bytes of data whose members add up to {@code size}. */
    public static long bytes(long size) {
        return size == 0 ? EMPTY.length() : size + 1;
    }

    /** The data object's JSON text from the members in a session's hash, sorted by field for a stable order. */
    public static String assemble(Map<String, String> hash) {
        List<String> names = new ArrayList<>();
        for (String field : hash.keySet()) {
            if (isDataField(field)) {
                names.add(field);
            }
        }
        if (names.isEmpty()) {
            return EMPTY;
        }
        names.sort(null);
        StringBuilder json = new StringBuilder(256).append('{');
        for (String field : names) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append(field, FIELD_PREFIX.length(), field.length()).append(':').append(hash.get(field));
        }
        return json.append('}').toString();
    }

    public static String json(ObjectMapper mapper, JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    private static long utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
