package io.nexus.workflow.repository;

import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.nexus.workflow.domain.ExecutionError;

/**
 * jsonb columns travel as text ({@code $1::text::jsonb} in, {@code column::text} out): the SQL client would otherwise
 * send a Java string as a JSON string and hand back its own JSON types.
 */
public final class JsonColumns {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonColumns() {
    }

    public static String write(JsonNode value) {
        return value == null ? null : value.toString();
    }

    public static String write(ExecutionError error) {
        if (error == null) {
            return null;
        }
        try {
            return MAPPER.writeValueAsString(error);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode read(String text) {
        if (text == null) {
            return null;
        }
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("a jsonb column did not hold JSON", e);
        }
    }

    public static ExecutionError readError(String text) {
        if (text == null) {
            return null;
        }
        try {
            return MAPPER.readValue(text, ExecutionError.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("an error column did not hold an error", e);
        }
    }
}
