package io.nexus.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StyleTest {

    @Test
    void coloursOnlyOnATerminal() {
        assertTrue(Style.forTerminal(true, Map.of()).colour());
        assertFalse(Style.forTerminal(false, Map.of()).colour());
    }

    @Test
    void honoursNoColorWhateverItsValue() {
        assertFalse(Style.forTerminal(true, Map.of("NO_COLOR", "1")).colour());
        assertFalse(Style.forTerminal(true, Map.of("NO_COLOR", "false")).colour());
    }

    @Test
    void ignoresAnEmptyNoColor() {
        // no-color.org: only a value that is present and not empty disables colour.
        assertTrue(Style.forTerminal(true, Map.of("NO_COLOR", "")).colour());
    }

    @Test
    void aDumbTerminalGetsNoColour() {
        assertFalse(Style.forTerminal(true, Map.of("TERM", "dumb")).colour());
    }

    @Test
    void withoutColourTextIsUnchanged() {
        Style plain = new Style(false);
        assertEquals("failed", plain.status("failed"));
        assertEquals("x", plain.bold("x"));
    }
}
