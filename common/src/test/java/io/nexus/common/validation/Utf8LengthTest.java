package io.nexus.common.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class Utf8LengthTest {

    @Test
    void countsWhatUtf8Encodes() {
        for (String text : new String[] {"", "ascii", "é", "€ and ü", "\uD83D\uDE80 rocket", "日本語のテキスト"}) {
            assertEquals(text.getBytes(StandardCharsets.UTF_8).length, Utf8Length.of(text), text);
        }
    }

    @Test
    void threeBytesPerCharacterOfMostScriptsNotOne() {
        assertEquals(300_000, Utf8Length.of("€".repeat(100_000)));
    }
}
