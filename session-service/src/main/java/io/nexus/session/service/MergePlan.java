package io.nexus.session.service;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.nexus.session.domain.JsonMergePatch;
import io.nexus.session.domain.MergeStep;
import io.nexus.session.domain.MergeStep.Kind;
import io.nexus.session.domain.SessionData;

/**
 * Turns an RFC 7386 patch of a session's data into steps on its top-level members: null deletes, a non-object
 * replaces, an object merges into the member's current value (read first, and written only if still unchanged).
 */
final class MergePlan {

    private final ObjectMapper mapper;
    private final ObjectNode patch;

    MergePlan(ObjectMapper mapper, ObjectNode patch) {
        this.mapper = mapper;
        this.patch = patch;
    }

    /** Fields of the members whose current value the merge needs (those the patch merges objects into). */
    List<String> fieldsToRead() {
        List<String> fields = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> member = it.next();
            if (member.getValue().isObject()) {
                fields.add(SessionData.field(mapper, member.getKey()));
            }
        }
        return fields;
    }

    /** The steps, given the current JSON text of the members {@link #fieldsToRead()} named (null: absent). */
    List<MergeStep> steps(Map<String, String> current) {
        List<MergeStep> steps = new ArrayList<>(patch.size());
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> member = it.next();
            String field = SessionData.field(mapper, member.getKey());
            JsonNode value = member.getValue();
            if (value.isNull()) {
                steps.add(new MergeStep(Kind.DELETE, field, null, null));
            } else if (!value.isObject()) {
                steps.add(new MergeStep(Kind.SET, field, SessionData.json(mapper, value), null));
            } else {
                String before = current.get(field);
                String merged = SessionData.json(mapper, JsonMergePatch.apply(parse(before), value));
                steps.add(before == null ? new MergeStep(Kind.SET_IF_ABSENT, field, merged, null)
                        : new MergeStep(Kind.REPLACE_IF_UNCHANGED, field, merged, before));
            }
        }
        return steps;
    }

    private JsonNode parse(String json) {
        if (json == null) {
            return null;
        }
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a session member is always stored as valid JSON", e);
        }
    }
}
