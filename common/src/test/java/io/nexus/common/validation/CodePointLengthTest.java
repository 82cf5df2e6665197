package io.nexus.common.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jakarta.validation.Validation;
import jakarta.validation.Validator;

import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.Test;

class CodePointLengthTest {

    record Named(@CodePointLength(min = 1, max = 3) String name) {
    }

    private final Validator validator = Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator())
            .buildValidatorFactory().getValidator();

    @Test
    void countsCharactersNotUtf16Units() {
        String threeEmoji = "\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00";
        assertEquals(6, threeEmoji.length(), "the premise: UTF-16 counts each emoji twice");
        assertTrue(validator.validate(new Named(threeEmoji)).isEmpty());
    }

    @Test
    void refusesTooLongAndTooShortWithTheBoundsInTheMessage() {
        List<String> messages = validator.validate(new Named("abcd")).stream().map(v -> v.getMessage()).toList();
        assertEquals(List.of("length must be between 1 and 3 characters"), messages);
        assertEquals(1, validator.validate(new Named("")).size());
        assertEquals(1, validator.validate(new Named("\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00")).size());
    }

    @Test
    void nullIsLeftToNotNull() {
        assertTrue(validator.validate(new Named(null)).isEmpty());
    }
}
