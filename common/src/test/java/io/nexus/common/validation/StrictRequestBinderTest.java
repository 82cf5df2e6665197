package io.nexus.common.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import jakarta.validation.Validation;
import jakarta.validation.Validator;

import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.nexus.common.problem.FieldError;
import io.nexus.common.problem.ProblemException;
import io.nexus.common.problem.ProblemType;
import io.nexus.common.testing.ProbeMode;
import io.nexus.common.testing.ProbeRequest;

class StrictRequestBinderTest {

    private final Validator validator = Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator())
            .buildValidatorFactory().getValidator();
    private final StrictRequestBinder binder = new StrictRequestBinder(new ObjectMapper(), validator);

    @Test
    void bindsAValidBody() {
        ProbeRequest request = bind("""
                {"name": "n", "count": 3, "items": [{"id": "a"}], "quotas": {"x": 1}, "mode": "sync", "enabled": true}
                """);
        assertEquals("n", request.name());
        assertEquals(3, request.count());
        assertEquals(ProbeMode.SYNC, request.mode());
        assertEquals(Map.of("x", 1), request.quotas());
        assertTrue(request.enabled());
    }

    @Test
    void absentOptionalFieldsStayNull() {
        ProbeRequest request = bind("{\"name\": \"n\", \"count\": 1}");
        assertNull(request.items());
        assertNull(request.mode());
    }

    @Test
    void refusesCoercionOfScalars() {
        List<FieldError> errors = errors("""
                {"name": 12, "count": "3", "enabled": "true"}
                """);
        assertEquals(List.of("name", "count", "enabled"), fields(errors));
        assertEquals("expected a string, got number 12", errors.get(0).message());
        assertEquals("expected a boolean, got string 'true'", errors.get(2).message());
    }

    @Test
    void refusesFractionsAndOverflowForIntegers() {
        assertEquals(List.of("count"), fields(errors("{\"name\": \"n\", \"count\": 1.5}")));
        assertEquals(List.of("count"), fields(errors("{\"name\": \"n\", \"count\": 3000000000}")));
    }

    @Test
    void reportsUnknownFieldsAtEveryDepth() {
        List<FieldError> errors = errors("""
                {"name": "n", "count": 1, "items": [{"id": "a", "secret": 1}], "extra": {}}
                """);
        assertEquals(List.of("items[0].secret", "extra"), fields(errors), "in document order");
    }

    @Test
    void combinesShapeAndConstraintViolationsWithoutDuplicates() {
        List<FieldError> errors = errors("""
                {"name": "", "count": "x", "items": [{"id": ""}], "quotas": {"a": -2}}
                """);
        // count has a shape error; its @NotNull violation on the nulled value must not be reported twice.
        assertEquals(List.of("count", "items[0].id", "name", "quotas.a"), fields(errors));
        assertTrue(errors.get(3).message().endsWith("got -2"), errors.get(3).message());
    }

    @Test
    void nullForAPrimitiveIsAnError() {
        assertEquals(List.of("enabled"), fields(errors("{\"name\": \"n\", \"count\": 1, \"enabled\": null}")));
    }

    @Test
    void unknownEnumValueListsTheWireNames() {
        FieldError error = errors("{\"name\": \"n\", \"count\": 1, \"mode\": \"SYNC\"}").get(0);
        assertEquals("expected one of [sync, async], got string 'SYNC'", error.message());
    }

    @Test
    void bodiesThatAreNotObjectsAreBadRequests() {
        for (String body : List.of("", "  ", "[]", "\"text\"", "42", "{\"name\":", "{\"a\":1,\"a\":2}")) {
            ProblemException problem = assertThrows(ProblemException.class, () -> bind(body), body);
            assertEquals(ProblemType.INVALID_REQUEST, problem.type());
        }
    }

    @Test
    void quotesLongValuesTruncated() {
        String name = "x".repeat(200);
        FieldError error = errors("{\"name\": \"" + name + "\", \"count\": 1}").get(0);
        assertTrue(error.message().contains("x".repeat(80) + "…'"), error.message());
        assertTrue(error.message().length() < 200, error.message());
    }

    private ProbeRequest bind(String json) {
        return binder.bind(json.getBytes(StandardCharsets.UTF_8), ProbeRequest.class, ProbeRequest.class);
    }

    private List<FieldError> errors(String json) {
        ProblemException problem = assertThrows(ProblemException.class, () -> bind(json));
        return problem.toProblem("/x").errors();
    }

    private static List<String> fields(List<FieldError> errors) {
        return errors.stream().map(FieldError::field).toList();
    }
}
