package io.nexus.common.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.nexus.common.problem.FieldError;

/** What PostgreSQL cannot store as sent: a NUL, and a surrogate without its pair (UTF-8 would store "?" instead). */
class UnstorableTextTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void aLoneSurrogateEscapeIsNamedAtItsField() throws Exception {
        JsonNode body = MAPPER.readTree("{\"userId\": \"u\\ud800\", \"data\": {\"a\": [\"ok\", \"\\udc00x\"]}}");
        List<FieldError> errors = ControlCharacters.unstorableFields(body);
        assertEquals(List.of("userId", "data.a[1]"), errors.stream().map(FieldError::field).toList());
        assertTrue(errors.get(0).message().contains("unpaired surrogate"), errors.toString());
    }

    @Test
    void pairedSurrogatesAreCharactersLikeAnyOther() throws Exception {
        JsonNode body = MAPPER.readTree("{\"name\": \"rocket \\ud83d\\ude80\", \"raw\": \"\uD83D\uDE80\"}");
        assertEquals(List.of(), ControlCharacters.unstorableFields(body));
        assertFalse(ControlCharacters.containsUnpairedSurrogate("\uD83D\uDE80 and text"));
    }

    @Test
    void surrogatesInTheWrongOrderOrAtTheEndAreUnpaired() {
        assertTrue(ControlCharacters.containsUnpairedSurrogate("\uDE80\uD83D"));
        assertTrue(ControlCharacters.containsUnpairedSurrogate("end \uD83D"));
    }

    @Test
    void aBadFieldNameIsNamedEscapedSoThatTheProblemItselfEncodes() throws Exception {
        JsonNode body = MAPPER.readTree("{\"a\\ud800\": 1, \"\\ud83d\\ude80\": 2}");
        List<FieldError> errors = ControlCharacters.unstorableFields(body);
        assertEquals(1, errors.size(), errors.toString());
        assertEquals("a\\ud800", errors.get(0).field());
        assertTrue(errors.get(0).message().startsWith("the field name"));
    }

    @Test
    void nulIsStillRefusedFirst() throws Exception {
        JsonNode body = MAPPER.readTree("{\"x\": \"a\\u0000\\ud800\"}");
        assertEquals(ControlCharacters.NUL_MESSAGE, ControlCharacters.unstorableFields(body).get(0).message());
    }
}
