package io.nexus.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void alignsColumnsOnTheWidestCell() {
        Table table = new Table("NAME", "STATUS", "NOTE")
                .row("a", "completed", "x")
                .row("longer-name", "failed", null);
        assertEquals(List.of(
                "NAME         STATUS     NOTE",
                "a            completed  x",
                "longer-name  failed     "), table.render(new Style(false)));
    }

    @Test
    void colourDoesNotShiftColumns() {
        Table table = new Table("STATUS", "ID").row("failed", "1").row("completed", "2");
        List<String> lines = table.render(new Style(true));
        String plain = lines.get(1).replaceAll("\u001b\\[[0-9;]*m", "");
        assertEquals("failed     1", plain);
        assertTrue(lines.get(1).contains("\u001b[31mfailed\u001b[0m"), lines.get(1));
        assertTrue(lines.get(0).startsWith("\u001b[1mSTATUS"), lines.get(0));
    }
}
