package io.nexus.workflow.rest;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import io.nexus.common.problem.FieldError;
import io.nexus.common.problem.ProblemException;

/**
 * Reads a definition body as a JSON tree for the definition parser, which reports every problem itself: a body that
 * is not a JSON object is 400, anything wrong inside one is 422 (docs/api.md §3).
 */
final class JsonBodies {

    private static final ObjectReader READER = new ObjectMapper().reader()
            .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);

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
        return tree;
    }
}
