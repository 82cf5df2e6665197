package io.nexus.common.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.Validation;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.nexus.common.problem.FieldError;
import io.nexus.common.problem.ProblemException;

class MergePatchBindingTest {

    record Limits(@PositiveOrZero Long calls, @PositiveOrZero Long sessions) {
    }

    record Patch(@Size(min = 1, max = 10) String name, @Resettable @Valid Limits limits) {
    }

    private final StrictRequestBinder binder = new StrictRequestBinder(new ObjectMapper(),
            Validation.byDefaultProvider().configure().messageInterpolator(new ParameterMessageInterpolator())
                    .buildValidatorFactory().getValidator());

    @Test
    void tellsSetFromClearedFromAbsentAtEveryDepth() {
        MergePatch<Patch> patch = patch("{\"limits\": {\"calls\": 5, \"sessions\": null}}");
        assertFalse(patch.has("name"));
        assertTrue(patch.has("limits.calls"));
        assertEquals(5L, patch.value().limits().calls());
        assertTrue(patch.clears("limits.sessions"));
        assertFalse(patch.clears("limits.calls"));

        MergePatch<Patch> resetAll = patch("{\"limits\": null, \"name\": \"n\"}");
        assertTrue(resetAll.clears("limits"));
        assertNull(resetAll.value().limits());
        assertEquals("n", resetAll.value().name());
    }

    @Test
    void nullIsAnErrorWhereNothingCanBeReset() {
        ProblemException problem = assertThrows(ProblemException.class,
                () -> patch("{\"name\": null, \"limits\": {\"calls\": -1}, \"extra\": 1}"));
        assertEquals(List.of("name", "extra", "limits.calls"),
                problem.toProblem("/").errors().stream().map(FieldError::field).toList());
    }

    @Test
    void anEmptyPatchChangesNothing() {
        assertTrue(patch("{}").isEmpty());
    }

    private MergePatch<Patch> patch(String json) {
        return binder.bindPatch(json.getBytes(StandardCharsets.UTF_8), Patch.class);
    }
}
