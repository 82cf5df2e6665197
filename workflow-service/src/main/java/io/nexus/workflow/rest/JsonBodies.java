package io.nexus.workflow.rest;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import io.nexus.common.problem.FieldError;
import io.nexus.common.problem.ProblemException;
import io.nexus.common.problem.ProblemType;
import io.nexus.common.validation.ControlCharacters;

/**
 * Reads a definition body as a JSON tree for the definition parser, which reports every problem itself: a body that
 * is not one JSON object (trailing content included) is 400, anything wrong inside one is 422 (docs/api.md §3).
 */
final class JsonBodies {

    // Trailing content ({"name":"a"}{"status":"x"}) means the body is not one JSON value: 400, not silently ignored.
    private static final ObjectReader READER = new ObjectMapper().reader()
            .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonBodies() {
    }

    static JsonNode object(byte[] body) {
        JsonNode tree;
        try {
            tree = body == null || body.length == 0 ? null : READER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ProblemException.invalid(List.of(new FieldError("", "the body is not valid JSON: "
                    + e.getOriginalMessage())));
        } catch (IOException e) {
            throw ProblemException.badRequest("the body could not be read");
        }
        if (tree == null || !tree.isObject()) {
            throw ProblemException.invalid(List.of(new FieldError("", "the body must be a JSON object")));
        }
        // A NUL cannot be stored (PostgreSQL 22P05): wrong inside a JSON object, so 422 like the parser's findings.
        List<FieldError> unstorable = ControlCharacters.unstorableFields(tree);
        if (!unstorable.isEmpty()) {
            throw new ProblemException(ProblemType.UNPROCESSABLE, unstorable.size() == 1 ? "1 field is invalid"
                    : unstorable.size() + " fields are invalid", unstorable, Map.of());
        }
        return tree;
    }
}
